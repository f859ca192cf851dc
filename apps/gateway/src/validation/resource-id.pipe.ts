import { Injectable, type PipeTransform } from '@nestjs/common';
import { IdPrefixes, idPattern } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';

type Resource = keyof typeof IdPrefixes;

const resourceNames: Partial<Record<Resource, string>> = {
  webhookEndpoint: 'webhook endpoint',
  webhookDelivery: 'webhook delivery',
  paymentMethod: 'payment method',
};

/**
 * A path id of the wrong shape cannot name a resource: 404, as for an unknown id, without a
 * round trip to the service.
 */
@Injectable()
export class ResourceIdPipe implements PipeTransform<string, string> {
  private readonly pattern: RegExp;

  constructor(
    private readonly resource: Resource,
    private readonly param = 'id',
  ) {
    this.pattern = idPattern(IdPrefixes[resource]);
  }

  transform(value: string): string {
    if (this.pattern.test(value)) return value;
    const name = resourceNames[this.resource] ?? this.resource;
    // The id is not repeated back: whatever was typed where an id belongs (a card number, say)
    // would otherwise reach the client, and every log of the response.
    throw ApiError.of('resource_missing', { message: `No such ${name}.`, param: this.param });
  }
}
