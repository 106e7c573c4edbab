import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ApiProblem } from './problems';

/** A route and the query parameters it reads. */
export interface DeclaredRoute {
  readonly method: string;
  /** Full path template, OpenAPI style: `/api/v1/models/{modelId}/summary`. */
  readonly path: string;
  readonly parameters: readonly string[];
}

/** The part of an OpenAPI operation this reads. */
interface Operation {
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every operation of an OpenAPI document with its declared query parameters, paths prefixed with the server's base. */
export function declaredRoutes(document: { readonly paths?: object }, base: string): DeclaredRoute[] {
  return Object.entries((document.paths ?? {}) as Record<string, Record<string, Operation | undefined>>).flatMap(
    ([path, operations]) =>
      METHODS.flatMap((method) => {
        const operation = operations[method];
        if (!operation) return [];
        const parameters = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => parameter.name);
        return [{ method: method.toUpperCase(), path: `${base}${path}`, parameters }];
      })
  );
}

interface CompiledRoute extends DeclaredRoute {
  readonly pattern: RegExp;
}

const compile = (route: DeclaredRoute): CompiledRoute => {
  const source = route.path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { ...route, pattern: new RegExp(`^${source}$`) };
};

/**
 * Refuses (400) a query parameter the route does not declare, and one given twice: a misspelt
 * `form=` or a `table=` sent to the PDF would otherwise be ignored, and the answer would silently
 * be about something else than asked. The declarations are the routes' own (their OpenAPI
 * document), read once every route is registered (`prepare`, called when the app is built, so no
 * request pays for writing the document). Requests matching no declared route pass on (to their 404, or to a route that reads no query).
 */
export class UndeclaredQueryRefusal {
  private compiled: CompiledRoute[] | undefined;

  constructor(private readonly routes: () => readonly DeclaredRoute[]) {}

  /** Reads the declarations; before it, the first request with a query reads them. */
  prepare(): void {
    this.compiled ??= this.routes().map(compile);
  }

  middleware(): MiddlewareHandler<AppEnv> {
    return createMiddleware<AppEnv>(async (c, next) => {
      const given = c.req.queries();
      const names = Object.keys(given);
      if (names.length > 0) {
        this.prepare();
        const route = (this.compiled as CompiledRoute[]).find(
          (candidate) => candidate.method === c.req.method && candidate.pattern.test(c.req.path)
        );
        if (route) {
          const takes =
            route.parameters.length === 0 ? 'takes no query parameters' : `takes ${route.parameters.join(', ')}`;
          const unknown = names.filter((name) => !route.parameters.includes(name));
          if (unknown.length > 0) {
            const list = unknown.map((name) => JSON.stringify(name)).join(', ');
            throw new ApiProblem(
              'invalid-request',
              `query parameter${unknown.length > 1 ? 's' : ''} ${list} ${unknown.length > 1 ? 'are' : 'is'} not accepted here: ${route.method} ${route.path} ${takes}`
            );
          }
          const repeated = names.filter((name) => given[name].length > 1);
          if (repeated.length > 0)
            throw new ApiProblem(
              'invalid-request',
              `query parameter ${JSON.stringify(repeated[0])} is given ${given[repeated[0]].length} times; give it once`
            );
        }
      }
      await next();
    });
  }
}
