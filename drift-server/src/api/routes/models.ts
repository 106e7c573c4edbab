import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Model, Store } from '../../store';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBody, problems, SECURITY } from '../openapi';
import { ModelParams } from '../schemas/common';
import {
  FeatureListSchema,
  ModelCreateSchema,
  ModelListSchema,
  ModelSchema,
  ModelUpdateSchema,
} from './models.schemas';

/** The stored model as its response schema types it (mutable arrays). */
export function modelBody(model: Model) {
  return { ...model, features: [...model.features] };
}

export function modelRoutes(store: Store): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models',
      tags: ['models'],
      summary: 'List models (for the Grafana model variable)',
      security: SECURITY,
      middleware: [requireScope('read')],
      responses: { 200: jsonBody(ModelListSchema, 'All models, by id'), ...problems() },
    }),
    async (c) => c.json({ models: (await store.models.list()).map(modelBody) }, 200)
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/models',
      tags: ['models'],
      summary: 'Register a model',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: { body: { content: { 'application/json': { schema: ModelCreateSchema } }, required: true } },
      responses: {
        201: {
          ...jsonBody(ModelSchema, 'The registered model; Location names it'),
          headers: z.object({ location: z.string().openapi({ example: '/api/v1/models/credit-risk' }) }),
        },
        ...problems('invalid-request', 'conflict', 'unsupported-media-type'),
      },
    }),
    async (c) => {
      const { id, name, ...definition } = c.req.valid('json');
      c.set('auditModelId', id);
      const model = await store.models.create(id, { ...definition, name: name ?? id });
      return c.json(modelBody(model), 201, { location: `/api/v1/models/${model.id}` });
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}',
      tags: ['models'],
      summary: 'Get a model',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams },
      responses: { 200: jsonBody(ModelSchema, 'The model'), ...problems('invalid-request', 'not-found') },
    }),
    async (c) => c.json(modelBody(await store.models.get(c.req.valid('param').modelId)), 200)
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/models/{modelId}',
      tags: ['models'],
      summary: 'Update a model (name, task, importance, column mapping, business parameters)',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: {
        params: ModelParams,
        body: { content: { 'application/json': { schema: ModelUpdateSchema } }, required: true },
      },
      responses: {
        200: jsonBody(ModelSchema, 'The updated model'),
        ...problems('invalid-request', 'not-found', 'conflict'),
      },
    }),
    async (c) => {
      const { modelId } = c.req.valid('param');
      const update = c.req.valid('json');
      return c.json(modelBody(await store.models.update(modelId, update)), 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/models/{modelId}',
      tags: ['models'],
      summary: 'Delete a model with all its reference data, production rows, aggregates and labels',
      security: SECURITY,
      middleware: [requireScope('admin')],
      request: { params: ModelParams },
      responses: { 204: { description: 'Deleted' }, ...problems('invalid-request', 'not-found') },
    }),
    async (c) => {
      await store.models.delete(c.req.valid('param').modelId);
      return c.body(null, 204);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/features',
      tags: ['models'],
      summary: 'List a model’s features with their frozen bins (for the Grafana feature variable)',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams },
      responses: {
        200: jsonBody(FeatureListSchema, 'Features in registration order'),
        ...problems('invalid-request', 'not-found'),
      },
    }),
    async (c) => {
      const model = await store.models.get(c.req.valid('param').modelId);
      const versions = await store.references.list(model.id);
      const binning = versions.length > 0 ? await store.references.binning(model.id) : undefined;
      return c.json(
        {
          features: model.features.map((feature) => ({
            ...feature,
            reference_version: binning?.version ?? null,
            bins: binning?.features[feature.name] ?? null,
          })),
        },
        200
      );
    }
  );

  return app;
}
