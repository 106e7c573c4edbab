import { modelBody } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { TRAINER_SECRET, webhookTrainer } from './support';

const json = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe('retraining settings of a model, whoami and the OpenAPI document', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('defaults to manual without a trainer', async () => {
    const created = await t.json('/api/v1/models', json('POST', modelBody('plain')));
    expect(created.body.retraining).toEqual({ policy: 'manual', trainer: null });
  });

  it('stores a webhook secret write-only: reads show secret_configured, an update without a secret keeps it', async () => {
    const created = await t.json(
      '/api/v1/models',
      json('POST', {
        ...modelBody('hooked'),
        retraining: {
          policy: 'auto',
          trainer: { kind: 'webhook', url: 'https://trainer.example.com/jobs', secret: TRAINER_SECRET },
        },
      })
    );
    expect(created.status).toBe(201);
    const shown = {
      policy: 'auto',
      trainer: {
        kind: 'webhook',
        url: 'https://trainer.example.com/jobs',
        timeout_ms: 10_000,
        max_attempts: 5,
        secret_configured: true,
      },
    };
    expect(created.body.retraining).toEqual(shown);
    const read = await t.call('/api/v1/models/hooked');
    const text = await read.text();
    expect(text).not.toContain(TRAINER_SECRET);
    expect(JSON.parse(text).retraining).toEqual(shown);
    expect(await (await t.call('/api/v1/models')).text()).not.toContain(TRAINER_SECRET);

    const moved = await t.json(
      '/api/v1/models/hooked',
      json('PATCH', {
        retraining: { trainer: { kind: 'webhook', url: 'http://10.0.0.7:9000/train', max_attempts: 2 } },
      })
    );
    expect(moved.status).toBe(200);
    expect(moved.body.retraining).toEqual({
      policy: 'auto',
      trainer: {
        kind: 'webhook',
        url: 'http://10.0.0.7:9000/train',
        timeout_ms: 10_000,
        max_attempts: 2,
        secret_configured: true,
      },
    });
    expect(await t.server.store.models.retraining('hooked')).toMatchObject({ trainer: { secret: TRAINER_SECRET } });

    const manual = await t.json('/api/v1/models/hooked', json('PATCH', { retraining: { policy: 'manual' } }));
    expect(manual.body.retraining).toEqual({ ...moved.body.retraining, policy: 'manual' });
    const simulated = await t.json(
      '/api/v1/models/hooked',
      json('PATCH', { retraining: { trainer: { kind: 'simulated' } } })
    );
    expect(simulated.body.retraining).toEqual({ policy: 'manual', trainer: { kind: 'simulated', delay_ms: 2000 } });
  });

  it('refuses invalid settings with 400 (409 for a webhook without any secret) and leaves the model as it was', async () => {
    await t.json('/api/v1/models', json('POST', modelBody('careful')));
    const before = (await t.json('/api/v1/models/careful')).body;
    const invalid = [
      { trainer: webhookTrainer('ftp://trainer.example.com/jobs') },
      { trainer: webhookTrainer('not a url') },
      { trainer: webhookTrainer('https://trainer.example.com', { secret: 'short' }) },
      { trainer: webhookTrainer('https://trainer.example.com', { timeout_ms: 10 }) },
      { trainer: webhookTrainer('https://trainer.example.com', { max_attempts: 0 }) },
      { trainer: webhookTrainer('https://trainer.example.com', { max_attempts: 11 }) },
      { trainer: { kind: 'simulated', delay_ms: -1 } },
      { trainer: { kind: 'carrier-pigeon' } },
      { policy: 'sometimes' },
      { trainer: { kind: 'simulated', secret_configured: true } },
    ];
    for (const retraining of invalid) {
      const response = await t.json('/api/v1/models/careful', json('PATCH', { retraining }));
      expect([response.status, response.response.headers.get('content-type')]).toEqual([
        400,
        'application/problem+json',
      ]);
    }
    const created = await t.json(
      '/api/v1/models',
      json('POST', {
        ...modelBody('careless'),
        retraining: { trainer: webhookTrainer('https://x.example.com', { secret: undefined }) },
      })
    );
    expect(created.status).toBe(400);
    expect((await t.json('/api/v1/models/careless')).status).toBe(404);

    const secretless = await t.json(
      '/api/v1/models/careful',
      json('PATCH', { retraining: { trainer: { kind: 'webhook', url: 'https://trainer.example.com' } } })
    );
    expect(secretless.status).toBe(409);
    expect(secretless.body.detail).toMatch(/no webhook secret/);
    expect((await t.json('/api/v1/models/careful')).body).toEqual(before);
  });

  it('deletes a model’s retrain jobs with the model', async () => {
    await t.json(
      '/api/v1/models',
      json('POST', { ...modelBody('doomed'), retraining: { trainer: webhookTrainer('https://trainer.example.com') } })
    );
    const { body: job } = await t.json(
      '/api/v1/models/doomed/retrain-jobs',
      json('POST', { scheduled_for: Date.now() + 3_600_000 })
    );
    expect((await t.json(`/api/v1/retrain-jobs/${job.id}`)).status).toBe(200);
    expect((await t.call('/api/v1/models/doomed', { method: 'DELETE' })).status).toBe(204);
    expect((await t.json(`/api/v1/retrain-jobs/${job.id}`)).status).toBe(404);
    expect((await t.json(`/api/v1/retrain-jobs/${job.id}/cancel`, { method: 'POST' })).status).toBe(404);
  });

  it('tells a token who it is', async () => {
    expect((await t.json('/api/v1/whoami')).body).toEqual({ token_id: 'admin', name: 'admin', scopes: ['admin'] });
    expect((await t.json('/api/v1/whoami', { token: TOKENS.read })).body).toEqual({
      token_id: 'read',
      name: 'read',
      scopes: ['read'],
    });
    const created = (
      await t.json('/api/v1/tokens', json('POST', { name: 'grafana-operate', scopes: ['read', 'operate'] }))
    ).body;
    expect((await t.json('/api/v1/whoami', { token: created.token })).body).toEqual({
      token_id: created.id,
      name: 'grafana-operate',
      scopes: ['read', 'operate'],
    });
    expect((await t.json('/api/v1/whoami', { token: null })).status).toBe(401);
  });

  it('documents the retraining routes, the callback without bearer security', async () => {
    const document = (await t.json('/api/v1/openapi.json')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/models/{modelId}/retrain-jobs',
        '/retrain-jobs/{jobId}',
        '/retrain-jobs/{jobId}/cancel',
        '/retrain-jobs/{jobId}/callback',
        '/whoami',
      ])
    );
    expect(document.paths['/retrain-jobs/{jobId}/callback'].post.security).toEqual([]);
    expect(document.paths['/models/{modelId}/retrain-jobs'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.schemas.Model.properties.retraining).toBeDefined();
  });
});
