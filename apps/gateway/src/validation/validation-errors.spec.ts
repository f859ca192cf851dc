import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { IsMetadata } from './is-metadata.validator';
import { validationError } from './validation-errors';

class Amount {
  @IsInt()
  @Min(1)
  value!: number;
}

class Example {
  @IsString()
  @IsEmail()
  email!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @IsOptional()
  @ValidateNested()
  @Type(() => Amount)
  amount?: Amount;
}

const errorFor = (body: object) => {
  const errors = validateSync(plainToInstance(Example, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: true },
  });
  return validationError(errors);
};

describe('validationError', () => {
  it('answers 400 invalid_request_error', () => {
    const error = errorFor({ email: 'nope' });
    expect(error.status).toBe(400);
    expect(error.body.type).toBe('invalid_request_error');
  });

  it('names a missing field as parameter_missing', () => {
    expect(errorFor({}).body).toMatchObject({ code: 'parameter_missing', param: 'email' });
  });

  it('names an unknown field as parameter_unknown', () => {
    expect(errorFor({ email: 'a@example.com', colour: 'red' }).body).toMatchObject({
      code: 'parameter_unknown',
      param: 'colour',
      message: 'Received unknown parameter: colour.',
    });
  });

  it('reports the type check before the other checks of a field', () => {
    expect(errorFor({ email: 42 }).body).toMatchObject({
      code: 'parameter_invalid',
      param: 'email',
      message: 'email must be a string.',
    });
    expect(errorFor({ email: 'a@example.com', limit: 'abc' }).body.message).toBe(
      'limit must be an integer number.',
    );
  });

  it('names a nested field with its dotted path', () => {
    expect(errorFor({ email: 'a@example.com', amount: { value: 0 } }).body).toMatchObject({
      code: 'parameter_invalid',
      param: 'amount.value',
    });
  });

  it('names the offending metadata key', () => {
    expect(errorFor({ email: 'a@example.com', metadata: { company: 5 } }).body).toMatchObject({
      code: 'parameter_invalid',
      param: 'metadata.company',
      message: 'metadata.company must be a string.',
    });
  });

  it('names metadata itself when the whole object is wrong', () => {
    expect(errorFor({ email: 'a@example.com', metadata: ['a'] }).body).toMatchObject({
      param: 'metadata',
    });
  });
});
