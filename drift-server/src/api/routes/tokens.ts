import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Store } from '../../store';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { CreatedTokenSchema, TokenCreateSchema, TokenInfoSchema, WhoAmISchema } from './tokens.schemas';

/** Token administration; tokens can also be created offline with `drift-server token create`. */
export function tokenRoutes(store: Store): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/whoami',
      tags: ['tokens'],
      summary: 'The presented token: id, name and scopes (any valid token; lets a client check its scopes)',
      security: SECURITY,
      responses: { 200: jsonBody(WhoAmISchema, 'The token'), ...problems() },
    }),
    (c) => {
      const { tokenId, name, scopes } = c.get('principal');
      return c.json({ token_id: tokenId, name, scopes: [...scopes] }, 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      tags: ['tokens'],
      summary: 'List tokens (never their secrets)',
      security: SECURITY,
      middleware: [requireScope('admin')],
      responses: { 200: jsonBody(z.object({ tokens: z.array(TokenInfoSchema) }), 'Tokens'), ...problems() },
    }),
    async (c) => c.json({ tokens: await store.tokens.list() }, 200)
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['tokens'],
      summary: 'Create a token; the secret is returned once and stored only as a SHA-256 hash',
      description:
        'Body: `{"name": "grafana", "scopes": ["read"]}`. `name` (1–256 printable characters) is what logs, the audit log and retrain jobs call the token; `scopes` one or more of read, ingest, operate, admin (admin holds every scope). The answer carries `token` (`dg_<16 hex id>_<43 base64url characters>`) this once: keep it, it cannot be shown again. Revoke it with DELETE /tokens/{id}. With the server stopped, `drift-server token create --scope read --name grafana` does the same on the database file.',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: { body: { content: { 'application/json': { schema: TokenCreateSchema } }, required: true } },
      responses: { 201: jsonBody(CreatedTokenSchema, 'The token'), ...problems('invalid-request') },
    }),
    async (c) => {
      const { name, scopes } = c.req.valid('json');
      return c.json(await store.tokens.create(name, scopes), 201);
    }
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{tokenId}',
      tags: ['tokens'],
      summary: 'Revoke a token',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: {
        params: z.object({
          tokenId: z
            .string()
            .regex(/^[0-9a-f]{16}$/)
            .openapi({ param: { name: 'tokenId', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Revoked' }, ...problems('invalid-request', 'not-found') },
    }),
    async (c) => {
      await store.tokens.revoke(c.req.valid('param').tokenId);
      return c.body(null, 204);
    }
  );

  return app;
}
