import { Injectable, type PipeTransform } from '@nestjs/common';
import { IdPrefixes, idPattern } from '@finfusion/contracts';
import { ApiError } from '../errors/api-error';
import { mayHoldCardDigits } from './card-safe-text';

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
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    throw ApiError.of('resource_missing', {
      // A card number typed where an id belongs is not repeated back.
      message: mayHoldCardDigits(value) ? `No such ${name}.` : `No such ${name}: '${shown}'`,
      param: this.param,
    });
  }
}
