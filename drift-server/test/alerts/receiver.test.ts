import { request } from 'node:http';
import { loadDemoScenario } from '../../src/demo';
import { startTestServer, TOKENS } from '../api/harness';
import { END_MS, serveScenario, ServedScenario } from '../demo/served-scenario';
import { jobWithStatus } from '../retraining/support';
import { FakeTrainer, startFakeTrainer } from '../retraining/trainer-server';
import { grafanaNotification, postNotification, psiAlert } from './grafana-webhook';

const SECRET = 'alert-webhook-secret-0123456789';
const DRIFTED = 'credit-risk-sudden-drift';
const HEALTHY = 'credit-risk-baseline';
/** Grafana's PSI rule fires after its 6 h pending period; the scenarios' data ends at END_MS. */
const STARTS_AT = new Date(END_MS - 3_600_000).toISOString();
const JSON_HEADERS = { 'content-type': 'application/json' };
const TRAINER_SECRET = 'trainer-secret-0123456789';

describe('POST /api/v1/alerts/grafana on the demo scenarios (sudden drift and baseline)', () => {
  let served: ServedScenario;
  /** Takes every job (202) and never reports back, so a dispatched job stays active. */
  let trainer: FakeTrainer;
  let operateToken: string;
  const t = () => served.server;
  const jobsOf = async (model: string) => t().server.store.retrainJobs.list({ modelId: model });
  const alertsOf = async (model: string) =>
    (await t().json(`/api/v1/models/${model}/alerts`, { token: TOKENS.read })).body.alerts;
  const setPolicy = async (model: string, policy: 'manual' | 'auto') => {
    const retraining = { policy, trainer: { kind: 'webhook', url: trainer.url, secret: TRAINER_SECRET } };
    const { status, body } = await t().json(`/api/v1/models/${model}`, {
      method: 'PATCH',
      body: JSON.stringify({ retraining }),
      headers: JSON_HEADERS,
    });
    if (status !== 200) throw new Error(`PATCH ${model}: ${status} ${JSON.stringify(body)}`);
  };

  beforeAll(async () => {
    trainer = await startFakeTrainer(TRAINER_SECRET);
    served = await serveScenario(2, { DRIFTGUARD_ALERT_WEBHOOK_SECRET: SECRET });
    await loadDemoScenario(t().server.store, 1, END_MS);
    const created = await t().json('/api/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'grafana-alerting', scopes: ['operate'] }),
      headers: JSON_HEADERS,
    });
    operateToken = created.body.token;
  }, 240_000);
  afterAll(async () => {
    await served?.server.stop();
    await trainer?.close();
  });

  it('under the manual policy records a firing PSI alert on the drifted model but schedules nothing', async () => {
    await setPolicy(DRIFTED, 'manual');
    const { status, body } = await postNotification(
      t(),
      grafanaNotification([psiAlert(DRIFTED, 'income', STARTS_AT, 'manual-income')]),
      { token: operateToken }
    );
    expect(status).toBe(200);
    expect(body.alerts).toEqual([
      {
        fingerprint: 'manual-income',
        model_id: DRIFTED,
        status: 'firing',
        action: 'manual_policy',
        recommendation: 'retrain_now',
      },
    ]);
    expect(await jobsOf(DRIFTED)).toEqual([]);
    expect(await alertsOf(DRIFTED)).toEqual([
      expect.objectContaining({
        fingerprint: 'manual-income',
        action: 'manual_policy',
        job_id: null,
        starts_at: STARTS_AT,
        severity: 'warning',
        alertname: 'DriftGuard feature drift (PSI)',
      }),
    ]);
  });

  it('under the auto policy ends with exactly one job for the drifted model, judged on the recommendation’s figures', async () => {
    await setPolicy(DRIFTED, 'auto');
    const { status, body } = await postNotification(
      t(),
      grafanaNotification([psiAlert(DRIFTED, 'income', STARTS_AT, 'auto-income')]),
      { token: operateToken }
    );
    expect(status).toBe(200);
    const [decision] = body.alerts;
    expect(decision).toEqual({
      fingerprint: 'auto-income',
      model_id: DRIFTED,
      status: 'firing',
      action: 'scheduled',
      recommendation: 'retrain_now',
      job_id: expect.any(String),
    });

    const jobs = await jobsOf(DRIFTED);
    expect(jobs.map((job) => [job.id, job.trigger, job.alert_fingerprint, job.requested_by])).toEqual([
      [decision.job_id, 'alert', 'auto-income', 'grafana-alerting'],
    ]);
    const recommendation = (
      await t().json(`/api/v1/models/${DRIFTED}/recommendation?to=${encodeURIComponent(STARTS_AT)}`, {
        token: TOKENS.read,
      })
    ).body;
    expect(recommendation.recommendation).toBe('retrain_now');
    expect(jobs[0].reason).toContain('"DriftGuard feature drift (PSI)" (feature income, severity warning)');
    expect(jobs[0].reason).toContain(recommendation.reasons[0]);
    expect(jobs[0].reason).toContain(recommendation.reasons[1]);

    const [latest] = await alertsOf(DRIFTED);
    expect(latest).toMatchObject({
      fingerprint: 'auto-income',
      action: 'scheduled',
      job_id: decision.job_id,
      model_id: DRIFTED,
      recommendation: 'retrain_now',
    });
  });

  it('answers a repeated notification "duplicate" and neither schedules nor records anything more', async () => {
    const alertsBefore = await alertsOf(DRIFTED);
    for (const fingerprint of ['auto-income', 'manual-income']) {
      const { body } = await postNotification(
        t(),
        grafanaNotification([psiAlert(DRIFTED, 'income', STARTS_AT, fingerprint)]),
        { token: operateToken }
      );
      expect(body.alerts.map((alert: { action: string }) => alert.action)).toEqual(['duplicate']);
    }
    expect(await jobsOf(DRIFTED)).toHaveLength(1);
    expect(await alertsOf(DRIFTED)).toEqual(alertsBefore);
  });

  it('answers two deliveries of one notification at the same time with one job between them', async () => {
    const notification = grafanaNotification([psiAlert(DRIFTED, 'debt_ratio', STARTS_AT, 'concurrent-debt')]);
    const answers = await Promise.all([1, 2].map(() => postNotification(t(), notification, { token: operateToken })));
    expect(answers.map(({ body }) => body.alerts[0].action).sort()).toEqual(['duplicate', 'existing_job']);
    expect(await jobsOf(DRIFTED)).toHaveLength(1);
  });

  it('hands the job to the model’s trainer once, naming the alert as its reason', async () => {
    const [job] = await jobsOf(DRIFTED);
    await jobWithStatus(t(), job.id, 'dispatched');
    expect(
      trainer
        .of(job.id)
        .map((delivery) => [
          delivery.body.model_id,
          delivery.body.trigger,
          delivery.body.reason,
          delivery.signatureValid,
        ])
    ).toEqual([[DRIFTED, 'alert', job.reason, true]]);
  });

  it('keeps the active job for another firing alert of the same model', async () => {
    const [job] = await jobsOf(DRIFTED);
    const { body } = await postNotification(
      t(),
      grafanaNotification([psiAlert(DRIFTED, 'age', STARTS_AT, 'auto-age')]),
      { token: operateToken }
    );
    expect(body.alerts).toEqual([expect.objectContaining({ action: 'existing_job', job_id: job.id })]);
    expect(await jobsOf(DRIFTED)).toHaveLength(1);
  });

  it('schedules nothing for the healthy model, even under the auto policy', async () => {
    await setPolicy(HEALTHY, 'auto');
    const { status, body } = await postNotification(
      t(),
      grafanaNotification([psiAlert(HEALTHY, 'income', STARTS_AT, 'healthy-income')]),
      { token: operateToken }
    );
    expect(status).toBe(200);
    expect(body.alerts).toEqual([
      {
        fingerprint: 'healthy-income',
        model_id: HEALTHY,
        status: 'firing',
        action: 'not_worth_it',
        recommendation: 'no_action',
      },
    ]);
    expect(await jobsOf(HEALTHY)).toEqual([]);
    expect(await alertsOf(HEALTHY)).toEqual([
      expect.objectContaining({ fingerprint: 'healthy-income', action: 'not_worth_it', recommendation: 'no_action' }),
    ]);
  });

  it('records a resolved alert only', async () => {
    const { body } = await postNotification(
      t(),
      grafanaNotification([psiAlert(DRIFTED, 'income', STARTS_AT, 'auto-income', 'resolved')]),
      { token: operateToken }
    );
    expect(body.alerts).toEqual([
      { fingerprint: 'auto-income', model_id: DRIFTED, status: 'resolved', action: 'resolved', recommendation: null },
    ]);
    expect(await jobsOf(DRIFTED)).toHaveLength(1);
    expect(
      (await alertsOf(DRIFTED))
        .filter((alert: { fingerprint: string }) => alert.fingerprint === 'auto-income')
        .map((alert: { status: string }) => alert.status)
        .sort()
    ).toEqual(['firing', 'resolved']);
  });

  it('answers alerts naming no registered model "no_model", one decision per alert in payload order', async () => {
    const notification = grafanaNotification([
      psiAlert('no-such-model', 'income', STARTS_AT, 'unknown-model'),
      {
        ...psiAlert(DRIFTED, 'income', STARTS_AT, 'no-model-label'),
        labels: { alertname: 'Something else', severity: 'warning' },
      },
      {
        ...psiAlert(DRIFTED, 'income', STARTS_AT, 'model-id-label', 'resolved'),
        labels: { alertname: 'By model_id', model_id: HEALTHY },
      },
    ]);
    const { body } = await postNotification(t(), notification, { token: operateToken });
    expect(
      body.alerts.map((alert: { fingerprint: string; action: string; model_id: string | null }) => [
        alert.fingerprint,
        alert.action,
        alert.model_id,
      ])
    ).toEqual([
      ['unknown-model', 'no_model', null],
      ['no-model-label', 'no_model', null],
      ['model-id-label', 'resolved', HEALTHY],
    ]);
  });

  it('accepts a post signed with DRIFTGUARD_ALERT_WEBHOOK_SECRET instead of a token', async () => {
    const notification = grafanaNotification([psiAlert(HEALTHY, 'age', STARTS_AT, 'signed-age')]);
    const { status, body } = await postNotification(t(), notification, { token: null, signWith: SECRET });
    expect(status).toBe(200);
    expect(body.alerts).toEqual([expect.objectContaining({ fingerprint: 'signed-age', action: 'not_worth_it' })]);
  });

  describe('refuses, storing nothing', () => {
    let before: { drifted: unknown[]; healthy: unknown[]; jobs: number };
    const snapshot = async () => ({
      drifted: await alertsOf(DRIFTED),
      healthy: await alertsOf(HEALTHY),
      jobs: (await jobsOf(DRIFTED)).length,
    });
    beforeAll(async () => {
      before = await snapshot();
    });
    afterEach(async () => expect(await snapshot()).toEqual(before));
    const notification = () => grafanaNotification([psiAlert(HEALTHY, 'income', STARTS_AT, 'refused-income')]);

    it.each([
      ['a signature under another secret', { signWith: 'not-the-secret-0123456789' }],
      ['a malformed signature', { signature: 'sha256=xyz' }],
      ['a signature of another body', { signature: 'sha256=' + '0'.repeat(64) }],
      ['neither token nor signature', {}],
    ])('401 problem for %s', async (_case, options) => {
      const { status, body, response } = await postNotification(t(), notification(), { token: null, ...options });
      expect(status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({
        type: 'https://driftguard.dev/problems/unauthorized',
        instance: '/api/v1/alerts/grafana',
      });
    });

    it('403 problem for a token without scope operate', async () => {
      const { status, body } = await postNotification(t(), notification(), { token: TOKENS.read });
      expect(status).toBe(403);
      expect(body.detail).toMatch(/scope "operate"/);
    });

    it.each([
      ['no alerts array', { receiver: 'x', status: 'firing' }],
      [
        'an alert without fingerprint',
        { alerts: [{ status: 'firing', labels: { model: HEALTHY }, startsAt: STARTS_AT }] },
      ],
      ['a startsAt that is no time', { alerts: [{ ...notification().alerts[0], startsAt: 'yesterday' }] }],
      ['an unknown status', { alerts: [{ ...notification().alerts[0], status: 'pending' }] }],
    ])('400 problem for %s', async (_case, body) => {
      const answer = await postNotification(t(), body, { token: operateToken });
      expect(answer.status).toBe(400);
      expect(answer.body.type).toBe('https://driftguard.dev/problems/invalid-request');
    });

    it('413 problem for a body over 1 MiB', async () => {
      const huge = JSON.stringify(
        grafanaNotification([{ ...psiAlert(HEALTHY, 'income', STARTS_AT, 'huge'), summary: 'x'.repeat(1024 * 1024) }])
      );
      // A connection of its own: the server answers before reading the body and then drops the connection.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const post = request(`${t().server.url}/api/v1/alerts/grafana`, {
          method: 'POST',
          agent: false,
          headers: {
            ...JSON_HEADERS,
            authorization: `Bearer ${operateToken}`,
            'content-length': Buffer.byteLength(huge),
          },
        });
        post.on('response', (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        post.on('error', reject);
        post.end(huge);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).type).toBe('https://driftguard.dev/problems/payload-too-large');
    });
  });

  it('GET /models/{id}/alerts filters by time and refuses unknown models and bad bounds', async () => {
    const all = await alertsOf(DRIFTED);
    expect(all.length).toBeGreaterThan(3);
    const received = all.map((alert: { received_at: string }) => Date.parse(alert.received_at));
    expect(received).toEqual([...received].sort((a, b) => b - a));
    const ofWindow = async (query: string) =>
      (await t().json(`/api/v1/models/${DRIFTED}/alerts?${query}`, { token: TOKENS.read })).body.alerts;
    // Every alert started at STARTS_AT and arrived during the run.
    expect(await ofWindow(`from=${END_MS - 7_200_000}&to=${END_MS}`)).toEqual(all);
    expect(await ofWindow(`from=${END_MS}&to=${Date.parse(all[0].received_at) + 1}`)).toEqual(all);
    expect(await ofWindow(`from=${END_MS}&to=${END_MS + 3_600_000}`)).toEqual([]);
    expect(await ofWindow('limit=1')).toEqual([all[0]]);
    expect((await t().json('/api/v1/models/no-such-model/alerts', { token: TOKENS.read })).status).toBe(404);
    expect((await t().json(`/api/v1/models/${DRIFTED}/alerts?from=soon`, { token: TOKENS.read })).status).toBe(400);
    expect(
      (await t().json(`/api/v1/models/${DRIFTED}/alerts?from=${END_MS}&to=${END_MS - 1}`, { token: TOKENS.read }))
        .status
    ).toBe(400);
    expect((await t().json(`/api/v1/models/${DRIFTED}/alerts`, { token: TOKENS.ingest })).status).toBe(403);
  });
});

describe('POST /api/v1/alerts/grafana without DRIFTGUARD_ALERT_WEBHOOK_SECRET', () => {
  it('refuses signed posts with a 401 that says how to enable them', async () => {
    const t = await startTestServer();
    try {
      const notification = grafanaNotification([psiAlert('no-such-model', 'income', STARTS_AT, 'unsigned')]);
      const { status, body } = await postNotification(t, notification, { token: null, signWith: SECRET });
      expect(status).toBe(401);
      expect(body.detail).toMatch(/DRIFTGUARD_ALERT_WEBHOOK_SECRET/);
      const { body: accepted } = await postNotification(t, notification, { token: TOKENS.admin });
      expect(accepted.alerts).toEqual([expect.objectContaining({ fingerprint: 'unsigned', action: 'no_model' })]);
    } finally {
      await t.stop();
    }
  });
});
