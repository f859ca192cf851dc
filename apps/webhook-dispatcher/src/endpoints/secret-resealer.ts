import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EndpointRepository } from './endpoint.repository';

/**
 * At start, seals with the current key every signing secret still in plaintext (written before
 * secrets were sealed) or under an older key, so that key can later leave WEBHOOK_SECRET_KEYS.
 * A secret no configured key opens stops the start, naming its key.
 */
@Injectable()
export class SecretResealer implements OnApplicationBootstrap {
  private readonly logger = new Logger('SecretResealer');

  constructor(private readonly endpoints: EndpointRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    const sealed = await this.endpoints.resealSecrets();
    if (sealed > 0) this.logger.log({ sealed }, 'endpoint secrets sealed with the current key');
  }
}
