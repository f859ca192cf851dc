import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A merchant's secret key, kept only as its SHA-256 digest. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId!: string;

  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  /** `sk_test_` and the first characters of the secret, so people can tell their keys apart. */
  @Column({ name: 'display_prefix', type: 'text' })
  displayPrefix!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
