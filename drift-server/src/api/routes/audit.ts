import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Store } from '../../store';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { boundsOf, boundsQuery, MODEL_ID_PATTERN } from '../schemas/common';

const MAX_ENTRIES = 10_000;

const AuditEntrySchema = z
  .object({
    at: z.string().openapi({ format: 'date-time' }),
    request_id: z.string().openapi({ description: 'The request’s X-Request-Id' }),
    actor: z.string().openapi({
      description:
        'Name of the token used (the name given in DRIFTGUARD_TOKENS, else its scopes, for tokens from the environment), `grafana-alert-webhook` for signed alert posts, `trainer` for signed trainer callbacks, `runner` for the job runner and the simulated trainer',
    }),
    grafana_user: z.string().nullable().openapi({
      description: 'The Grafana user Grafana’s data proxy acted for (X-Grafana-User header); null when not forwarded',
    }),
    method: z.string(),
    path: z.string(),
    status: z.number().int().openapi({ description: 'HTTP status of the answer' }),
    model_id: z.string().nullable().openapi({ description: 'The model the call concerned; null when none' }),
    action: z.string().nullable().openapi({
      description:
        'For the retrain job runner’s own changes (actor `runner`, method `RUNNER`): the job’s new status and why, e.g. `retrain job … dispatched: …`; null for requests',
    }),
  })
  .openapi('AuditEntry');

const AuditQuery = z.object({
  model: z
    .string()
    .regex(MODEL_ID_PATTERN, 'model ids match ^[a-z0-9][a-z0-9_-]{0,63}$')
    .optional()
    .openapi({ description: 'Only entries concerning this model' }),
  ...boundsQuery({
    from: 'Entries at or after this time, ISO 8601 or epoch ms',
    to: 'Entries before this time, ISO 8601 or epoch ms',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_ENTRIES)
    .default(100)
    .openapi({ description: 'Most entries returned, newest first' }),
});

/** The audit log: every state-changing call, who made it (token name, Grafana user) and what it concerned. */
export function auditRoutes(store: Store): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['audit'],
      summary: 'Audit log of state-changing calls, newest first',
      description:
        'One entry per POST/PUT/PATCH/DELETE under /api/v1 that was authenticated by a token or a signature (whatever its outcome), trainer callbacks included. ' +
        'grafana_user is what the X-Grafana-User header said: Grafana’s data proxy sends it when `[dataproxy] send_user_header = true`; anyone holding the token could send it too.',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: { query: AuditQuery },
      responses: {
        200: jsonBody(z.object({ entries: z.array(AuditEntrySchema) }), 'The entries'),
        ...problems('invalid-request'),
      },
    }),
    async (c) => {
      const { model, limit, ...bounds } = c.req.valid('query');
      return c.json({ entries: await store.audit.list({ modelId: model, ...boundsOf(bounds), limit }) }, 200);
    }
  );

  return app;
}
