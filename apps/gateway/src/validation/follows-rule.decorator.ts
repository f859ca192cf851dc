import { ValidateBy, type ValidationArguments } from 'class-validator';
import type { FieldProblem, FieldRule } from '@finfusion/contracts';

/**
 * The `context` a FollowsRule constraint carries: validation-errors.ts asks it for the problem,
 * to answer with the rule's code, message and key (libs/contracts rules).
 */
export interface RuleContext {
  problemOf(value: unknown, fields: Readonly<Record<string, unknown>>): FieldProblem | undefined;
}

export const isRuleContext = (context: unknown): context is RuleContext =>
  typeof (context as Partial<RuleContext> | undefined)?.problemOf === 'function';

const fieldsOf = (args: ValidationArguments | undefined): Readonly<Record<string, unknown>> =>
  (args?.object ?? {}) as Record<string, unknown>;

/**
 * A property checked by one of the API's field rules: refused when the rule finds a problem, and
 * answered with that problem. `name` is the constraint's name in class-validator's errors.
 */
export const FollowsRule = (name: string, rule: FieldRule): PropertyDecorator => {
  const context: RuleContext = { problemOf: rule };
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown, args) => rule(value, fieldsOf(args)) === undefined,
        defaultMessage: (args) =>
          rule(args?.value, fieldsOf(args))?.message ?? `${args?.property ?? name} is invalid.`,
      },
    },
    { context },
  );
};
