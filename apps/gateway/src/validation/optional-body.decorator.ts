import {
  createParamDecorator,
  Injectable,
  type ArgumentMetadata,
  type ExecutionContext,
  type PipeTransform,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { GatewayValidationPipe } from './gateway-validation.pipe';

/** Validates a body that may be left out as the global pipe validates any body. */
@Injectable()
class OptionalBodyPipe implements PipeTransform {
  private readonly validation = new GatewayValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return this.validation.transform(value, { ...metadata, type: 'body' });
  }
}

const bodyOrEmpty = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<FastifyRequest>().body ?? {},
);

/**
 * The JSON body of a POST whose fields are all optional (rotate_secret, capture, cancel): a request without a
 * body reads as `{}`, where `@Body()` would refuse it. Validated against the parameter's DTO.
 */
export const OptionalBody = (): ParameterDecorator => bodyOrEmpty(undefined, OptionalBodyPipe);
