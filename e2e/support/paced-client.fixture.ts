import type { ApiClient } from '@finfusion/testing';

/**
 * Wraps a client so it sends at most `perSecond` requests in any second: for tests that send
 * many requests with one key and must stay under the e2e gateway's rate limit (40/s).
 */
export function paced(client: ApiClient, perSecond = 30): ApiClient {
  const sent: number[] = [];
  const slot = async (): Promise<void> => {
    for (;;) {
      const now = Date.now();
      while (sent.length > 0 && (sent[0] ?? 0) <= now - 1000) sent.shift();
      if (sent.length < perSecond) {
        sent.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, (sent[0] ?? now) + 1001 - now));
    }
  };
  return {
    get: async (...args) => {
      await slot();
      return client.get(...args);
    },
    post: async (...args) => {
      await slot();
      return client.post(...args);
    },
    patch: async (...args) => {
      await slot();
      return client.patch(...args);
    },
    delete: async (...args) => {
      await slot();
      return client.delete(...args);
    },
    raw: async (...args) => {
      await slot();
      return client.raw(...args);
    },
  };
}
