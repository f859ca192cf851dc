import type { DataSource, Repository } from 'typeorm';
import { IdPrefixes, newId } from '@finfusion/contracts';
import { digestsEqual, displayPrefixOf, generateApiKey, hashApiKey } from '../auth/api-key';
import { ApiKeyEntity } from './api-key.entity';
import { MerchantEntity } from './merchant.entity';

export interface Merchant {
  id: string;
  name: string;
  created_at: string;
}

export interface MerchantSummary extends Merchant {
  active_keys: number;
}

/** A key as it may be listed: never the secret, nor its digest. */
export interface ApiKeySummary {
  id: string;
  merchant_id: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

/** A new key: the only moment the secret exists outside the client's hands. */
export interface IssuedKey {
  key_id: string;
  merchant_id: string;
  api_key: string;
}

export interface ActiveKey {
  keyId: string;
  merchantId: string;
}

export type RevokeOutcome = 'revoked' | 'already_revoked' | 'not_found';

export const MAX_MERCHANT_NAME_LENGTH = 200;

/** Merchants and their API keys: used by the gateway to authenticate and by the merchants CLI. */
export class MerchantDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async createMerchant(name: string): Promise<{ merchant: Merchant; key: IssuedKey }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_MERCHANT_NAME_LENGTH) {
      throw new RangeError(`a merchant name is 1 to ${MAX_MERCHANT_NAME_LENGTH} characters`);
    }
    return this.dataSource.transaction(async (manager) => {
      const merchant = manager.create(MerchantEntity, {
        id: newId(IdPrefixes.merchant),
        name: trimmed,
        createdAt: new Date(),
      });
      await manager.insert(MerchantEntity, merchant);
      const key = await issueKey(manager.getRepository(ApiKeyEntity), merchant.id);
      return { merchant: toMerchant(merchant), key };
    });
  }

  async listMerchants(): Promise<MerchantSummary[]> {
    const rows = await this.dataSource
      .getRepository(MerchantEntity)
      .createQueryBuilder('m')
      .leftJoin(ApiKeyEntity, 'k', 'k.merchant_id = m.id AND k.revoked_at IS NULL')
      .select(['m.id AS id', 'm.name AS name', 'm.created_at AS created_at'])
      .addSelect('count(k.id)::int', 'active_keys')
      .groupBy('m.id')
      .orderBy('m.created_at', 'ASC')
      .getRawMany<{ id: string; name: string; created_at: Date; active_keys: number }>();
    return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
  }

  async findMerchant(merchantId: string): Promise<Merchant | undefined> {
    const merchant = await this.dataSource
      .getRepository(MerchantEntity)
      .findOneBy({ id: merchantId });
    return merchant ? toMerchant(merchant) : undefined;
  }

  /** The merchant's keys, oldest first; undefined when there is no such merchant. */
  async listKeys(merchantId: string): Promise<ApiKeySummary[] | undefined> {
    if (!(await this.findMerchant(merchantId))) return undefined;
    const keys = await this.dataSource
      .getRepository(ApiKeyEntity)
      .find({ where: { merchantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return keys.map(toKeySummary);
  }

  async addKey(merchantId: string): Promise<IssuedKey | undefined> {
    if (!(await this.findMerchant(merchantId))) return undefined;
    return issueKey(this.dataSource.getRepository(ApiKeyEntity), merchantId);
  }

  async revokeKey(keyId: string): Promise<RevokeOutcome> {
    const keys = this.dataSource.getRepository(ApiKeyEntity);
    const result = await keys
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where('id = :keyId AND revoked_at IS NULL', { keyId })
      .execute();
    if ((result.affected ?? 0) > 0) return 'revoked';
    return (await keys.existsBy({ id: keyId })) ? 'already_revoked' : 'not_found';
  }

  /** The unrevoked key whose digest this is, compared in constant time after the lookup. */
  async findActiveKey(keyHash: string): Promise<ActiveKey | undefined> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash });
    if (!key || key.revokedAt !== null || !digestsEqual(key.keyHash, keyHash)) return undefined;
    return { keyId: key.id, merchantId: key.merchantId };
  }
}

async function issueKey(keys: Repository<ApiKeyEntity>, merchantId: string): Promise<IssuedKey> {
  const apiKey = generateApiKey();
  const key = keys.create({
    id: newId(IdPrefixes.apiKey),
    merchantId,
    keyHash: hashApiKey(apiKey),
    displayPrefix: displayPrefixOf(apiKey),
    createdAt: new Date(),
    revokedAt: null,
  });
  await keys.insert(key);
  return { key_id: key.id, merchant_id: merchantId, api_key: apiKey };
}

const toMerchant = (merchant: MerchantEntity): Merchant => ({
  id: merchant.id,
  name: merchant.name,
  created_at: merchant.createdAt.toISOString(),
});

const toKeySummary = (key: ApiKeyEntity): ApiKeySummary => ({
  id: key.id,
  merchant_id: key.merchantId,
  prefix: key.displayPrefix,
  created_at: key.createdAt.toISOString(),
  revoked_at: key.revokedAt?.toISOString() ?? null,
});
