import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AlertPolicy } from '../../engine';
import type { DriftGuardMetrics } from '../../metrics';
import { ALERT_ACTIONS, ALERT_STATUSES, Store } from '../../store';
import type { AppEnv } from '../context';
import { requireScope, requireSignatureOrScope, SignedRoute } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { ApiProblem } from '../problems';
import { boundsOf, boundsQuery, ModelParams } from '../schemas/common';

/** Grafana sends a notification per alert group; far below this even with hundreds of alerts. */
const MAX_NOTIFICATION_BYTES = 1024 * 1024;
const MAX_ALERTS = 1000;
const MAX_LISTED = 10_000;

/** The receiver answers signed posts (Grafana without a token) as well as bearer ones. */
export const ALERT_RECEIVER_ROUTE: SignedRoute = { method: 'POST', path: /^\/api\/v1\/alerts\/grafana$/ };
/** The audit-log actor of a post signed with DRIFTGUARD_ALERT_WEBHOOK_SECRET. */
const SIGNED_ACTOR = 'grafana-alert-webhook';

const Labels = z.record(z.string(), z.string());
const Instant = z.string().refine((text) => Number.isFinite(Date.parse(text)), 'must be an RFC 3339 time');

const GrafanaAlertSchema = z
  .object({
    status: z.enum(ALERT_STATUSES),
    labels: Labels.openapi({
      description: 'Alert labels; `model` (or `model_id`) names the DriftGuard model, `alertname` the rule',
    }),
    annotations: Labels.optional().openapi({ description: '`summary` is kept with the alert' }),
    startsAt: Instant.openapi({
      description: 'When the alert started firing; with the fingerprint and status it identifies a notification',
    }),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().min(1).max(256).openapi({ description: 'Grafana’s stable hash of the alert’s labels' }),
    silenceURL: z.string().optional(),
    dashboardURL: z.string().optional(),
    panelURL: z.string().optional(),
    values: z.record(z.string(), z.number().nullable()).nullable().optional(),
    valueString: z.string().optional(),
  })
  .openapi('GrafanaAlert');

const GrafanaNotificationSchema = z
  .object({
    receiver: z.string().optional(),
    status: z.enum(ALERT_STATUSES).optional(),
    orgId: z.number().optional(),
    alerts: z.array(GrafanaAlertSchema).max(MAX_ALERTS),
    groupLabels: Labels.optional(),
    commonLabels: Labels.optional(),
    commonAnnotations: Labels.optional(),
    externalURL: z.string().optional(),
    version: z.string().optional(),
    groupKey: z.string().optional(),
    truncatedAlerts: z.number().optional(),
    title: z.string().optional(),
    state: z.string().optional(),
    message: z.string().optional(),
  })
  .openapi('GrafanaNotification', {
    description: 'The JSON body of Grafana alerting’s webhook contact point; other fields are ignored',
  });

const RECOMMENDATION_FIELD = z.string().nullable().openapi({
  description:
    'The cost-benefit recommendation the action rested on (retrain_now, schedule_retrain, monitor, no_action); null when none was computed',
});

const AlertDecisionSchema = z
  .object({
    fingerprint: z.string(),
    model_id: z
      .string()
      .nullable()
      .openapi({ description: 'The registered model the labels name; null when they name none' }),
    status: z.enum(ALERT_STATUSES),
    action: z.enum(ALERT_ACTIONS).openapi({
      description:
        'scheduled: a retrain job was created; existing_job: the model already had an active job; not_worth_it: the recommendation was not retrain_now; no_recommendation: the model has no reference yet; manual_policy: retraining pays now but the model’s policy is manual; duplicate: this notification was handled before; resolved: recorded only; no_model: the labels name no registered model',
    }),
    recommendation: RECOMMENDATION_FIELD,
    job_id: z.string().optional().openapi({ description: 'The scheduled or already active job' }),
  })
  .openapi('AlertDecision');

const AlertRecordSchema = z
  .object({
    id: z.string(),
    fingerprint: z.string(),
    model_id: z.string().nullable(),
    alertname: z.string(),
    status: z.enum(ALERT_STATUSES),
    severity: z.string().nullable(),
    summary: z.string().nullable(),
    labels: Labels,
    starts_at: z.string().openapi({ format: 'date-time' }),
    received_at: z.string().openapi({ format: 'date-time' }),
    action: z.enum(ALERT_ACTIONS),
    recommendation: RECOMMENDATION_FIELD,
    job_id: z.string().nullable(),
  })
  .openapi('AlertRecord');

const AlertListQuery = z.object({
  ...boundsQuery({
    from: 'Alerts that started or arrived at or after this time, ISO 8601 or epoch ms',
    to: 'Alerts that started or arrived before this time, ISO 8601 or epoch ms',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LISTED)
    .default(1000)
    .openapi({ description: 'Most alerts returned, newest first' }),
});

export interface AlertRouteDependencies {
  readonly store: Store;
  readonly policy: AlertPolicy;
  readonly metrics: DriftGuardMetrics;
  readonly webhookSecret: string | undefined;
}

/** The Grafana alert receiver of the automatic retrain loop, and the alerts a model received. */
export function alertRoutes({ store, policy, metrics, webhookSecret }: AlertRouteDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'alertSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-DriftGuard-Signature',
    description:
      'v1=<hex HMAC-SHA256(DRIFTGUARD_ALERT_WEBHOOK_SECRET, "v1\\n" + timestamp + "\\nPOST\\n/api/v1/alerts/grafana\\n\\n" + raw body)> with X-DriftGuard-Timestamp: <epoch ms> (within 5 minutes), in place of a bearer token',
  });
  const limitBody = bodyLimit({
    maxSize: MAX_NOTIFICATION_BYTES,
    onError: () => {
      throw new ApiProblem(
        'payload-too-large',
        `a Grafana notification may be at most ${MAX_NOTIFICATION_BYTES} bytes`
      );
    },
  });
  const authorize = requireSignatureOrScope('operate', {
    secret: webhookSecret,
    howToEnable: 'set DRIFTGUARD_ALERT_WEBHOOK_SECRET on drift-server',
    actor: SIGNED_ACTOR,
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/alerts/grafana',
      tags: ['retraining'],
      summary:
        'Receive Grafana alerting’s webhook: record each alert and, under the model’s policy, schedule a retrain when it pays now',
      description:
        'Authenticated by a bearer token with scope operate, or by a signature under DRIFTGUARD_ALERT_WEBHOOK_SECRET (docs/API.md, "Signed requests"; the job id is empty). ' +
        'For each alert: the model is the `model` (or `model_id`) label. A firing alert is judged by the figures GET /models/{id}/recommendation?to=<startsAt> gives (the day before the alert started, latest reference); ' +
        'only `retrain_now` schedules a job (trigger alert), and only when the model’s retraining policy is auto. A model with an active job keeps it. ' +
        'A notification already handled (same fingerprint, startsAt and status: Grafana repeats firing alerts) is answered `duplicate` and changes nothing. Resolved alerts are recorded only.',
      security: [...SECURITY, { alertSignature: [] }],
      middleware: [limitBody, authorize],
      request: { body: { content: { 'application/json': { schema: GrafanaNotificationSchema } }, required: true } },
      responses: {
        200: jsonBody(
          z.object({ alerts: z.array(AlertDecisionSchema) }),
          'What was done with each alert, in payload order'
        ),
        ...problems('invalid-request', 'payload-too-large'),
      },
    }),
    async (c) => {
      const { alerts } = c.req.valid('json');
      const decisions = await policy.handle(alerts, c.get('principal').name);
      for (const decision of decisions)
        metrics.alertsReceived.inc({ model: decision.model_id ?? '', action: decision.action });
      return c.json({ alerts: decisions }, 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/alerts',
      tags: ['retraining'],
      summary: 'Alerts received for a model, newest first, with what the retrain policy did (for Grafana annotations)',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: AlertListQuery },
      responses: {
        200: jsonBody(z.object({ alerts: z.array(AlertRecordSchema) }), 'The alerts'),
        ...problems('invalid-request', 'not-found'),
      },
    }),
    async (c) => {
      const { modelId } = c.req.valid('param');
      const { limit, ...bounds } = c.req.valid('query');
      await store.models.get(modelId);
      return c.json({ alerts: await store.alerts.list({ modelId, ...boundsOf(bounds), limit }) }, 200);
    }
  );

  return app;
}
