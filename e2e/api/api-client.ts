import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './finfusion-api';

// A client of the API typed by the committed OpenAPI document, as an integrator would write one:
// the types are openapi-typescript's output for openapi.json (finfusion-api.d.ts), the calls
// openapi-fetch's. Paths, parameters, bodies and responses are checked by the compiler.

export type FinFusionClient = Client<paths>;

export const finFusionClient = (baseUrl: string, apiKey: string): FinFusionClient =>
  createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
