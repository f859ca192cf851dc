import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isSecretVariable } from './secrets';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads configuration from the environment into a typed, validated object. Property names are
 * the variable names; initialisers are the defaults (annotate their types: conversion reads them).
 * variable, so a process stops at boot rather than at first use.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const defaults = new schema();
  const given: Record<string, string> = {};
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined && value !== '') given[key] = value;
  }
  const config = plainToInstance(schema, given, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${errors.map(describe(given)).join('\n')}`);
  }
  return config;
}

const describe =
  (given: Record<string, string>) =>
  (error: ValidationError): string => {
    const problems = Object.values(error.constraints ?? {}).join('; ');
    const value = given[error.property];
    const shown =
      value === undefined
        ? 'not set'
        : isSecretVariable(error.property)
          ? 'value hidden'
          : `got "${value}"`;
    return `  ${error.property}: ${problems} (${shown})`;
  };

/** Converts a variable given as text; a default (not text) is kept as it is. */
const FromEnvText = (convert: (raw: string) => unknown): PropertyDecorator =>
  Transform(
    ({ value, obj, key }: { value: unknown; obj: Record<string, unknown>; key: string }) => {
      const raw = obj[key];
      return typeof raw === 'string' ? convert(raw) : value;
    },
  );

/** "true"/"1"/"yes" are true, "false"/"0"/"no" are false; anything else fails validation. */
export const BooleanFromEnv = (): PropertyDecorator =>
  FromEnvText((raw) => {
    const lowered = raw.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(lowered)) return true;
    if (['false', '0', 'no'].includes(lowered)) return false;
    return raw;
  });

/** The items of a comma-separated value, trimmed, empty items dropped. */
export const listItems = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** A comma-separated list, trimmed, empty items dropped. */
export const ListFromEnv = (): PropertyDecorator => FromEnvText(listItems);

/** "0, 5000,300000" -> [0, 5000, 300000]; an item that is not a whole number fails validation. */
export const IntListFromEnv = (): PropertyDecorator =>
  FromEnvText((raw) => listItems(raw).map((item) => (/^\d+$/.test(item) ? Number(item) : item)));
