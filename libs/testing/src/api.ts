import { testEnv } from './env';

export interface ApiResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  body: unknown;
  text: string;
}

export type Headers = Record<string, string>;

export interface ApiClient {
  get(path: string, body?: undefined, headers?: Headers): Promise<ApiResponse>;
  post(path: string, body?: unknown, headers?: Headers): Promise<ApiResponse>;
  patch(path: string, body?: unknown, headers?: Headers): Promise<ApiResponse>;
  delete(path: string, body?: unknown, headers?: Headers): Promise<ApiResponse>;
  /** Sends `rawBody` as is (malformed JSON, odd content types); no Content-Type is added. */
  raw(method: string, path: string, rawBody: string, headers?: Headers): Promise<ApiResponse>;
}

/**
 * A small client of the gateway under test. With an API key every request carries
 * `Authorization: Bearer <key>`; a header given to a call overrides it (or any other).
 */
export function api(apiKey?: string, baseUrl: string = testEnv.gatewayUrl): ApiClient {
  const auth: Headers = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };

  const send = async (
    method: string,
    path: string,
    body: string | undefined,
    headers: Headers,
  ): Promise<ApiResponse> => {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { ...auth, ...lowerCased(headers) },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: parseJson(text),
      text,
    };
  };

  const json =
    (method: string) =>
    (path: string, body?: unknown, headers: Headers = {}): Promise<ApiResponse> =>
      body === undefined
        ? send(method, path, undefined, headers)
        : send(method, path, JSON.stringify(body), {
            'content-type': 'application/json',
            ...headers,
          });

  return {
    get: json('GET'),
    post: json('POST'),
    patch: json('PATCH'),
    delete: json('DELETE'),
    raw: (method, path, rawBody, headers = {}) => send(method, path, rawBody, headers),
  };
}

function lowerCased(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
