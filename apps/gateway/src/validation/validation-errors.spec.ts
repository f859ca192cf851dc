import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { fieldProblem, metadataRule } from '@finfusion/contracts';
import { FollowsRule } from './follows-rule.decorator';
import { validationError } from './validation-errors';

const atMost12 = (value: unknown) =>
  (value as number) > 12
    ? fieldProblem('month must be at most 12', 'invalid_expiry_month')
    : undefined;

class Amount {
  @IsInt()
  @Min(1)
  value!: number;
}

class Card {
  @IsDefined()
  @IsString()
  holder!: string;

  @IsOptional()
  @IsInt()
  @FollowsRule('month', atMost12)
  month?: number;

  /** Checked against the holder beside it: a rule sees the object its field stands in. */
  @IsOptional()
  @FollowsRule('signature', (value, card) =>
    value === card.holder ? undefined : fieldProblem('signature must match holder'),
  )
  signature?: string;
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
  @FollowsRule('metadata', metadataRule())
  metadata?: Record<string, string>;

  @IsOptional()
  @ValidateNested()
  @Type(() => Amount)
  amount?: Amount;

  @IsOptional()
  @ValidateNested()
  @Type(() => Card)
  card?: Card;
}

const errorFor = (body: object) => {
  const errors = validateSync(plainToInstance(Example, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: true, value: true },
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

  it('gives a rule the object its field stands in', () => {
    expect(
      errorFor({ email: 'a@example.com', card: { holder: 'J', signature: 'K' } }).body,
    ).toMatchObject({ param: 'card.signature', message: 'signature must match holder.' });
    expect(() =>
      errorFor({ email: 'a@example.com', card: { holder: 'J', signature: 'J' } }),
    ).not.toThrow();
  });

  it('answers a field with the code its rule names, still as a 400', () => {
    const error = errorFor({ email: 'a@example.com', card: { holder: 'J', month: 13 } });
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_expiry_month',
      param: 'card.month',
      message: 'month must be at most 12.',
    });
  });

  it('keeps the type check first when it fails with a coded check', () => {
    expect(
      errorFor({ email: 'a@example.com', card: { holder: 'J', month: 'x' } }).body,
    ).toMatchObject({ code: 'parameter_invalid', param: 'card.month' });
  });

  it('treats null as missing for a field marked @IsDefined, and only there', () => {
    expect(errorFor({ email: 'a@example.com', card: { holder: null } }).body).toMatchObject({
      code: 'parameter_missing',
      param: 'card.holder',
    });
    expect(errorFor({ email: null }).body).toMatchObject({
      code: 'parameter_invalid',
      param: 'email',
    });
  });

  it('never names an unknown key that may be a card number', () => {
    const nested = errorFor({
      email: 'a@example.com',
      card: { holder: 'J', '4242424242424242': 1 },
    });
    expect(nested.body).toMatchObject({ code: 'parameter_unknown', param: 'card' });
    expect(JSON.stringify(nested.body)).not.toContain('424242');
    const top = errorFor({ email: 'a@example.com', '4242 4242 4242 4242': '123' });
    expect(top.body.code).toBe('parameter_unknown');
    expect(top.body.param).toBeUndefined();
    expect(JSON.stringify(top.body)).not.toContain('4242');
  });

  it('never names a metadata key that may be a card number', () => {
    const error = errorFor({ email: 'a@example.com', metadata: { '4242424242424242': 5 } });
    expect(error.body).toMatchObject({ code: 'parameter_invalid', param: 'metadata' });
    expect(JSON.stringify(error.body)).not.toContain('424242');
  });
});
