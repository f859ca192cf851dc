import { Injectable } from '@nestjs/common';

interface Route {
  pattern: RegExp;
  methods: Set<string>;
}

/** Turns a Fastify route path (`/v2/customers/:id`, `/docs/*`) into a matcher of concrete paths. */
export function routeMatcher(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The routes the server has, filled by Fastify's onRoute hook, so that a known path with the
 * wrong method is answered 405 with an Allow header rather than 404.
 */
@Injectable()
export class RouteTable {
  private readonly routes = new Map<string, Route>();

  add(path: string, methods: string | string[]): void {
    const route = this.routes.get(path) ?? { pattern: routeMatcher(path), methods: new Set() };
    for (const method of Array.isArray(methods) ? methods : [methods]) route.methods.add(method);
    this.routes.set(path, route);
  }

  /** The methods routed for this concrete path (query string ignored), sorted. */
  allowedMethods(url: string): string[] {
    const path = url.split('?', 1)[0] ?? url;
    const methods = new Set<string>();
    for (const route of this.routes.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    return [...methods].sort();
  }
}
