import { Logger } from '@nestjs/common';
import { checkHost, type AddressPolicy, type HostResolver } from '../sending/ssrf-guard';
import { WebhookErrorCodes } from '../webhooks.errors';
import { checkUrlSyntax, type Checked } from './domain/endpoint-input';

export interface UrlPolicyOptions extends AddressPolicy {
  allowHttp: boolean;
}

/**
 * Registration-time URL check: syntax and scheme, then the SSRF guard on every address the host
 * resolves to now. Delivery checks again on the address it connects to (DNS can change).
 */
export class EndpointUrlPolicy {
  private readonly logger = new Logger('EndpointUrlPolicy');

  constructor(
    private readonly options: UrlPolicyOptions,
    private readonly resolve: HostResolver,
  ) {}

  async check(value: unknown): Promise<Checked<string>> {
    const syntax = checkUrlSyntax(value, this.options.allowHttp);
    if (!syntax.ok) return syntax;
    const host = await checkHost(syntax.value.hostname, this.options, this.resolve);
    if (host.ok) return { ok: true, value: value as string };
    if (host.reason === 'not_allowed') {
      // The reply names the kind of address only; which address it was stays in the logs.
      this.logger.warn(
        { host: syntax.value.hostname, address: host.address, range: host.range },
        'endpoint url refused by the SSRF guard',
      );
    }
    return {
      ok: false,
      param: 'url',
      message: `url is not allowed: ${host.message}.`,
      code:
        host.reason === 'unresolvable'
          ? WebhookErrorCodes.urlUnresolvable
          : WebhookErrorCodes.urlNotAllowed,
    };
  }
}
