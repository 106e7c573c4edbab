import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Limits } from '../../config';
import { calibrationState } from '../../engine';
import type { BatchOutcome, ReferenceBinning, Store } from '../../store';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBody, problems, SECURITY, UPLOAD_CONTENT } from '../openapi';
import { MAX_INTEGER_PARAM, ModelParams } from '../schemas/common';
import { idempotencyKey, uploadBody } from '../upload';
import { LabelBatchSchema, PredictionBatchSchema, ReferenceBinningSchema, ReferenceListSchema } from './data.schemas';

const VersionParams = ModelParams.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_INTEGER_PARAM)
    .openapi({ param: { name: 'version', in: 'path' }, description: 'Reference version' }),
});
const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({
    description:
      'Makes a retried batch a no-op: the same key and body return the stored result (Idempotent-Replayed: true); the same key with another body is refused (422)',
  }),
});

const UPLOAD_PROBLEMS = problems(
  'invalid-request',
  'invalid-data',
  'not-found',
  'conflict',
  'payload-too-large',
  'unsupported-media-type'
);

async function binningBody(store: Store, modelId: string, binning: ReferenceBinning) {
  const calibration = await store.references.calibration(modelId, binning.version);
  return { ...binning, features: { ...binning.features }, calibration: calibrationState(calibration, binning.version) };
}

function batchResponse<T>(outcome: BatchOutcome<T>): { body: T; status: 200 | 201; headers: Record<string, string> } {
  return outcome.replayed
    ? { body: outcome.result, status: 200, headers: { 'idempotent-replayed': 'true' } }
    : { body: outcome.result, status: 201, headers: {} };
}

/** Reference uploads, prediction batches and labels. Bodies are streamed, so they bypass zod. */
export function dataRoutes(store: Store, limits: Limits): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/models/{modelId}/references',
    tags: ['data'],
    summary: 'Upload reference data: creates a new reference version and freezes its bins',
    description:
      'Rows need every feature column; prediction, probability and label columns are kept, and an isotonic calibration of the probabilities is cross-fitted (10 folds) on the rows with both a probability and a binary label (0/1 or true/false; at least 200 such rows) for label-free accuracy estimation, its error carried into the estimate’s band; `calibration.held_out` checks it on rows each fold did not see, and `calibration.reason` says why when none could be fitted. Numeric cut points are the reference quantiles at k/B (k = 1..B−1, linear interpolation, duplicates removed); categorical bins are the sorted categories. Retained production rows are re-counted on the new bins, so drift against the new version covers history at once. Older versions stay queryable.',
    security: SECURITY,
    request: { params: ModelParams, body: { content: UPLOAD_CONTENT, required: true } },
    responses: {
      201: jsonBody(ReferenceBinningSchema, 'The new reference version with its frozen bins'),
      ...UPLOAD_PROBLEMS,
    },
  });
  app.post('/models/:modelId/references', requireScope('ingest'), async (c) => {
    const { modelId } = ModelParams.parse(c.req.param());
    const model = await store.models.get(modelId);
    const { format, body } = uploadBody(c, limits.maxBodyBytes);
    return c.json(await binningBody(store, model.id, await store.references.upload(model, format, body)), 201);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/references',
      tags: ['data'],
      summary: 'List reference versions',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams },
      responses: {
        200: jsonBody(ReferenceListSchema, 'Versions, oldest first'),
        ...problems('invalid-request', 'not-found'),
      },
    }),
    async (c) => {
      const model = await store.models.get(c.req.valid('param').modelId);
      return c.json({ versions: await store.references.list(model.id) }, 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/references/{version}',
      tags: ['data'],
      summary: 'Get a reference version with its frozen bins',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: VersionParams },
      responses: { 200: jsonBody(ReferenceBinningSchema, 'The version'), ...problems('invalid-request', 'not-found') },
    }),
    async (c) => {
      const { modelId, version } = c.req.valid('param');
      const model = await store.models.get(modelId);
      return c.json(await binningBody(store, model.id, await store.references.binning(model.id, version)), 200);
    }
  );

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/models/{modelId}/predictions',
    tags: ['data'],
    summary: 'Ingest a batch of production predictions',
    description:
      'Each row needs the prediction id and timestamp columns and may carry every feature, prediction, probability and label column; unknown columns are refused. The batch is atomic: any bad row rejects it with its row and column named, and nothing is stored. Rows are counted into hourly aggregates on the newest reference version’s frozen bins.',
    security: SECURITY,
    request: { params: ModelParams, headers: IdempotencyHeaders, body: { content: UPLOAD_CONTENT, required: true } },
    responses: {
      200: jsonBody(
        PredictionBatchSchema,
        'Replay of an earlier batch with the same Idempotency-Key; nothing was written'
      ),
      201: jsonBody(PredictionBatchSchema, 'The stored batch'),
      ...problems(
        'invalid-request',
        'invalid-data',
        'not-found',
        'conflict',
        'payload-too-large',
        'unsupported-media-type',
        'idempotency-key-reused'
      ),
    },
  });
  app.post('/models/:modelId/predictions', requireScope('ingest'), async (c) => {
    const { modelId } = ModelParams.parse(c.req.param());
    const model = await store.models.get(modelId);
    const { format, body } = uploadBody(c, limits.maxBodyBytes);
    const response = batchResponse(await store.ingestion.ingestPredictions(model, format, body, idempotencyKey(c)));
    return c.json(response.body, response.status, response.headers);
  });

  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/models/{modelId}/labels',
    tags: ['data'],
    summary: 'Ingest labels that arrived after the predictions, joined by prediction id',
    description:
      'Rows hold the model’s prediction id and label columns. A later label for the same prediction id replaces the earlier one. Atomic and idempotent like prediction batches.',
    security: SECURITY,
    request: { params: ModelParams, headers: IdempotencyHeaders, body: { content: UPLOAD_CONTENT, required: true } },
    responses: {
      200: jsonBody(LabelBatchSchema, 'Replay of an earlier batch with the same Idempotency-Key'),
      201: jsonBody(LabelBatchSchema, 'The stored labels'),
      ...problems(
        'invalid-request',
        'invalid-data',
        'not-found',
        'conflict',
        'payload-too-large',
        'unsupported-media-type',
        'idempotency-key-reused'
      ),
    },
  });
  app.post('/models/:modelId/labels', requireScope('ingest'), async (c) => {
    const { modelId } = ModelParams.parse(c.req.param());
    const model = await store.models.get(modelId);
    const { format, body } = uploadBody(c, limits.maxBodyBytes);
    const response = batchResponse(await store.ingestion.ingestLabels(model, format, body, idempotencyKey(c)));
    return c.json(response.body, response.status, response.headers);
  });

  return app;
}
