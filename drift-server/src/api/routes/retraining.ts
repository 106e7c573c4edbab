import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { parseInstant, RetrainJobStateMachine, RetrainScheduler, TrainerCallbacks } from '../../engine';
import type { RetrainJob, Store } from '../../store';
import type { AppEnv } from '../context';
import { grafanaUserOf } from '../audit-trail';
import { presentedSignature, requireScope, signedRequestOf, SignedRoute } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { ApiProblem } from '../problems';
import { boundsOf, ModelParams } from '../schemas/common';
import {
  RetrainJobCreateSchema,
  RetrainJobListQuery,
  RetrainJobListSchema,
  RetrainJobSchema,
  TrainerCallbackSchema,
} from './retraining.schemas';
import { SIGNATURE_HEADER, signatureProblem, TIMESTAMP_HEADER } from '../../engine';

/** Inline reference rows in a callback are held in memory: larger references go through POST /models/{id}/references. */
const MAX_CALLBACK_BYTES = 64 * 1024 * 1024;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The trainer callback authenticates by HMAC, so the bearer-token check lets it through. */
export const TRAINER_CALLBACK_ROUTE: SignedRoute = {
  method: 'POST',
  path: /^\/api\/v1\/retrain-jobs\/[^/]+\/callback$/,
};

const JobParams = z.object({
  jobId: z
    .string()
    .regex(JOB_ID, 'job ids are UUIDs')
    .openapi({ param: { name: 'jobId', in: 'path' }, example: '0b6f3c1e-8d8e-4a43-9d7e-2f5d7f1f0a11' }),
});

const jobLocation = (job: RetrainJob) => `/api/v1/retrain-jobs/${job.id}`;
const mutableJob = (job: RetrainJob) => ({ ...job, window: { ...job.window } });

const optionalInstant = (value: string | number | undefined, name: string) =>
  value === undefined ? undefined : parseInstant(value, name);

/** Who asked: the Grafana user Grafana's data proxy named, else the token's name. */
function requesterOf(c: Context<AppEnv>): string {
  return grafanaUserOf(c) ?? c.get('principal').name;
}

export interface RetrainingRouteDependencies {
  readonly store: Store;
  readonly scheduler: RetrainScheduler;
}

/** Retrain jobs: schedule, list, read, cancel, and the trainer's signed callback. */
export function retrainingRoutes({ store, scheduler }: RetrainingRouteDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const jobs = new RetrainJobStateMachine(store);
  const callbacks = new TrainerCallbacks(store, jobs);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/models/{modelId}/retrain-jobs',
      tags: ['retraining'],
      summary:
        'Schedule a retrain job (now or later); a model with an active job gets that job back (200) instead of a second one',
      security: SECURITY,
      middleware: [requireScope('operate')],
      request: {
        params: ModelParams,
        body: { content: { 'application/json': { schema: RetrainJobCreateSchema } }, required: false },
      },
      responses: {
        201: {
          ...jsonBody(RetrainJobSchema, 'The new job; Location names it'),
          headers: z.object({ location: z.string() }),
        },
        200: {
          ...jsonBody(RetrainJobSchema, 'The model’s active job, returned instead of a second one; Location names it'),
          headers: z.object({ location: z.string() }),
        },
        ...problems('invalid-request', 'not-found'),
      },
    }),
    async (c) => {
      const { modelId } = c.req.valid('param');
      const body = c.req.valid('json') ?? {};
      const fromMs = optionalInstant(body.from, 'from');
      const toMs = optionalInstant(body.to, 'to');
      const { job, created } = await scheduler.request(modelId, {
        trigger: 'manual',
        reason: body.reason ?? 'requested manually',
        requestedBy: requesterOf(c),
        scheduledForMs: optionalInstant(body.scheduled_for, 'scheduled_for'),
        window: fromMs === undefined && toMs === undefined ? undefined : { fromMs, toMs },
      });
      c.header('location', jobLocation(job));
      return created ? c.json(mutableJob(job), 201) : c.json(mutableJob(job), 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/retrain-jobs',
      tags: ['retraining'],
      summary: 'List a model’s retrain jobs, newest first (for the job list and Grafana annotations)',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: RetrainJobListQuery },
      responses: {
        200: jsonBody(RetrainJobListSchema, 'Jobs created, started or finished in [from, to)'),
        ...problems('invalid-request', 'not-found'),
      },
    }),
    async (c) => {
      const { modelId } = c.req.valid('param');
      const { status, limit, ...bounds } = c.req.valid('query');
      await store.models.get(modelId);
      const list = await store.retrainJobs.list({
        modelId,
        status,
        ...boundsOf(bounds),
        limit,
      });
      return c.json({ jobs: list.map(mutableJob) }, 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/retrain-jobs/{jobId}',
      tags: ['retraining'],
      summary: 'Get a retrain job',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: JobParams },
      responses: { 200: jsonBody(RetrainJobSchema, 'The job'), ...problems('invalid-request', 'not-found') },
    }),
    async (c) => c.json(mutableJob(await store.retrainJobs.get(c.req.valid('param').jobId)), 200)
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/retrain-jobs/{jobId}/cancel',
      tags: ['retraining'],
      summary: 'Cancel an active retrain job; a trainer already working on it gets 409 on its next callback',
      security: SECURITY,
      middleware: [requireScope('operate')],
      request: { params: JobParams },
      responses: {
        200: jsonBody(RetrainJobSchema, 'The cancelled job'),
        ...problems('invalid-request', 'not-found', 'conflict'),
      },
    }),
    async (c) => {
      const { jobId } = c.req.valid('param');
      c.set('auditModelId', (await store.retrainJobs.get(jobId)).model_id);
      return c.json(mutableJob(await jobs.cancel(jobId, requesterOf(c))), 200);
    }
  );

  const verifySignature = createMiddleware<AppEnv>(async (c, next) => {
    const jobId = c.req.param('jobId') ?? '';
    if (!JOB_ID.test(jobId)) throw new ApiProblem('invalid-request', 'param.jobId: job ids are UUIDs');
    const authentication = await callbacks.authenticate(jobId, await signedRequestOf(c, jobId), presentedSignature(c));
    if ('refused' in authentication) throw new ApiProblem('unauthorized', signatureProblem(authentication.refused));
    const { job } = authentication;
    c.set('principal', { tokenId: 'trainer', name: 'trainer', scopes: [] });
    c.set('auditModelId', job.model_id);
    await next();
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/retrain-jobs/{jobId}/callback',
      tags: ['retraining'],
      summary: 'The trainer reports running, succeeded (optionally with new reference rows or their URL) or failed',
      description: `No bearer token: the request is signed like deliveries, under the model's webhook secret: ${TIMESTAMP_HEADER}: <epoch ms> and ${SIGNATURE_HEADER}: v1=<hex HMAC-SHA256(secret, "v1\\n" + timestamp + "\\n" + "POST" + "\\n" + "/api/v1/retrain-jobs/<jobId>/callback" + "\\n" + jobId + "\\n" + raw body)>, at most 5 minutes from the server's clock. An unknown job and a wrong signature get the same 401. A report the job's state does not allow (e.g. on a finished or cancelled job) is a 409.`,
      security: [],
      middleware: [
        bodyLimit({
          maxSize: MAX_CALLBACK_BYTES,
          onError: () => {
            throw new ApiProblem(
              'payload-too-large',
              `a callback body may hold at most ${MAX_CALLBACK_BYTES} bytes; upload larger references to POST /models/{modelId}/references`
            );
          },
        }),
        verifySignature,
      ],
      request: {
        params: JobParams,
        headers: z.object({
          [SIGNATURE_HEADER.toLowerCase()]: z
            .string()
            .optional()
            .openapi({ description: 'v1=<hex HMAC-SHA256(secret, signed text)>, see the description' }),
          [TIMESTAMP_HEADER.toLowerCase()]: z
            .string()
            .optional()
            .openapi({ description: 'Signing time, epoch milliseconds; part of the signed text' }),
        }),
        body: { content: { 'application/json': { schema: TrainerCallbackSchema } }, required: true },
      },
      responses: {
        200: jsonBody(RetrainJobSchema, 'The job after the report'),
        ...problems('invalid-request', 'invalid-data', 'conflict', 'payload-too-large'),
      },
    }),
    async (c) => {
      const { jobId } = c.req.valid('param');
      return c.json(mutableJob(await callbacks.apply(await store.retrainJobs.get(jobId), c.req.valid('json'))), 200);
    }
  );

  return app;
}
