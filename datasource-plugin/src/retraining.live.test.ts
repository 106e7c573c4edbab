import { DataFrame, FieldType } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { AlertRecord, RetrainJob } from 'driftguard-api-contract';
import { DriftApiError } from './api/errors';
import { RunningDriftServer, startDriftServer, TOKENS } from './test-support/driftServer';
import { EDITOR, VIEWER } from './test-support/grafanaDataProxy';
import { httpRequest } from './test-support/http';
import { PROXY_URL } from './test-support/instanceSettings';
import { LiveSetup, liveDataSource } from './test-support/liveDataSource';
import { fieldConfig, fieldValues, queryRequest } from './test-support/queries';
import { HOUR_MS, MODEL, MODEL_WITHOUT_BUSINESS, PRODUCTION_HOURS, seedModel } from './test-support/seed';
import { DriftQuery } from './types';

// Starting drift-server from source and seeding ~5 000 rows takes a few seconds on two cores.
jest.setTimeout(90_000);

const GOOD_TOKENS = { readToken: TOKENS.read, operateToken: TOKENS.operate };
const DAY_MS = 24 * HOUR_MS;
const productionStartMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
const productionEndMs = productionStartMs + PRODUCTION_HOURS * HOUR_MS;
const productionWindow = { fromMs: productionStartMs, toMs: productionEndMs };

let server: RunningDriftServer;

beforeAll(async () => {
  server = await startDriftServer();
  await seedModel(server.url, productionStartMs);
});

afterAll(() => server?.stop());

function dataSource(setup: Partial<LiveSetup> = {}) {
  return liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS, ...setup });
}

/** Jobs are created now, so the dashboard range runs from the seeded production to two days ahead. */
async function run(targets: DriftQuery[], variables: Record<string, string> = {}) {
  const request = queryRequest(targets, productionStartMs, Date.now() + 2 * DAY_MS);
  return dataSource({ variables }).query(request);
}

async function direct<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await httpRequest(`${server.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) {
    throw new Error(`${method} ${path}: ${response.status} ${response.body}`);
  }
  return JSON.parse(response.body) as T;
}

async function waitForJob(jobId: string, done: (job: RetrainJob) => boolean): Promise<RetrainJob> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const job = await direct<RetrainJob>('GET', `/retrain-jobs/${jobId}`, TOKENS.read);
    if (done(job)) {
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not get there in 20 s`);
}

describe('retraining through the panel methods and the retrainJobs query', () => {
  let job: RetrainJob;
  const scheduledForMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + DAY_MS;

  it('schedules a job for later through the operate route, naming the Grafana user', async () => {
    job = await dataSource().scheduleRetrain(MODEL.id, {
      reason: 'Income drifted',
      scheduledForMs,
      window: productionWindow,
    });
    expect(job).toMatchObject({
      model_id: MODEL.id,
      status: 'scheduled',
      trigger: 'manual',
      reason: 'Income drifted',
      requested_by: EDITOR.login,
      started_at: null,
      finished_at: null,
      window: { from: new Date(productionStartMs).toISOString(), to: new Date(productionEndMs).toISOString() },
    });
    expect(Date.parse(job.scheduled_for)).toBe(scheduledForMs);
  });

  it('gets the active job back instead of a second one', async () => {
    const again = await dataSource().scheduleRetrain(MODEL.id, { reason: 'again' });
    expect(again).toMatchObject({ id: job.id, reason: 'Income drifted' });
    await expect(dataSource().listRetrainJobs(MODEL.id)).resolves.toEqual([job]);
  });

  it('records the Grafana user in the audit log beside the token', async () => {
    const { entries } = await direct<{ entries: Array<Record<string, unknown>> }>(
      'GET',
      `/audit?model=${MODEL.id}`,
      TOKENS.admin
    );
    const scheduling = entries.filter(
      (entry) => entry.method === 'POST' && entry.path === `/api/v1/models/${MODEL.id}/retrain-jobs`
    );
    expect(scheduling.length).toBeGreaterThanOrEqual(2);
    expect(scheduling.map((entry) => entry.grafana_user)).toEqual(scheduling.map(() => EDITOR.login));
  });

  it('retrainJobs: one row per job, with display names, time fields and the status as coloured text', async () => {
    const { data, errors } = await run([{ refId: 'D', queryType: 'retrainJobs', model: '$model' }], {
      model: MODEL.id,
    });
    expect(errors).toEqual([]);
    const [frame] = data as DataFrame[];
    expect(frame.refId).toBe('D');
    expect(frame.fields.map((f) => [f.name, f.type, f.config.displayNameFromDS])).toEqual([
      ['status', FieldType.string, 'Status'],
      ['trigger', FieldType.string, 'Trigger'],
      ['reason', FieldType.string, 'Reason'],
      ['requested_by', FieldType.string, 'Requested by'],
      ['scheduled_for', FieldType.time, 'Scheduled for'],
      ['started_at', FieldType.time, 'Started'],
      ['finished_at', FieldType.time, 'Finished'],
      ['attempts', FieldType.number, 'Attempts'],
      ['new_reference_version', FieldType.number, 'New reference version'],
      ['message', FieldType.string, 'Message'],
      ['id', FieldType.string, 'Job id'],
    ]);
    expect(frame.length).toBe(1);
    expect(fieldValues(frame, 'id')).toEqual([job.id]);
    expect(fieldValues(frame, 'status')).toEqual(['scheduled']);
    expect(fieldValues(frame, 'requested_by')).toEqual([EDITOR.login]);
    expect(fieldValues(frame, 'scheduled_for')).toEqual([scheduledForMs]);
    expect(fieldValues(frame, 'started_at')).toEqual([null]);
    expect(fieldValues(frame, 'attempts')).toEqual([job.attempts]);
    expect(fieldConfig(frame, 'status')?.mappings?.[0].options).toMatchObject({
      scheduled: { text: 'Scheduled' },
      failed: { text: 'Failed', color: 'red' },
    });
    expect(fieldConfig(frame, 'status')?.custom).toEqual({ cellOptions: { type: 'color-text' } });
  });

  it('retrainJobs: the status filter, also from a dashboard variable', async () => {
    const { data } = await run(
      [
        { refId: 'SCHEDULED', queryType: 'retrainJobs', model: MODEL.id, status: '$job_status' },
        { refId: 'FAILED', queryType: 'retrainJobs', model: MODEL.id, status: 'failed' },
      ],
      { job_status: 'scheduled' }
    );
    expect((data as DataFrame[]).map((frame) => [frame.refId, frame.length])).toEqual([
      ['SCHEDULED', 1],
      ['FAILED', 0],
    ]);
  });

  it('cancels the job; cancelling it again is a 409 with the server detail', async () => {
    const cancelled = await dataSource().cancelRetrain(job.id);
    expect(cancelled).toMatchObject({ id: job.id, status: 'cancelled' });
    expect(cancelled.finished_at).not.toBeNull();
    const again = dataSource().cancelRetrain(job.id);
    await expect(again).rejects.toBeInstanceOf(DriftApiError);
    await expect(again).rejects.toMatchObject({
      status: 409,
      kind: 'problem',
      message: expect.stringMatching(/cancel/i),
    });
    const { data } = await run([{ refId: 'D', queryType: 'retrainJobs', model: MODEL.id }]);
    expect(fieldValues((data as DataFrame[])[0], 'status')).toEqual(['cancelled']);
  });
});

describe('retraining errors', () => {
  it('refuses a Viewer in Grafana before drift-server sees the request', async () => {
    const attempt = dataSource({ user: VIEWER }).scheduleRetrain(MODEL.id);
    await expect(attempt).rejects.toMatchObject({
      kind: 'role',
      status: 403,
      message: 'Your Grafana role may not use this DriftGuard route',
    });
  });

  it("names the missing scope when the operate token is a read token (drift-server's 403 detail)", async () => {
    const attempt = dataSource({
      secureJsonData: { readToken: TOKENS.read, operateToken: TOKENS.read },
    }).scheduleRetrain(MODEL.id);
    await expect(attempt).rejects.toMatchObject({
      kind: 'forbidden',
      status: 403,
      message: expect.stringContaining('this operation needs scope "operate"'),
    });
  });

  it('surfaces an unknown model and an unknown status as query errors', async () => {
    const { data, errors } = await run([
      { refId: 'MISSING', queryType: 'retrainJobs', model: 'no-such-model' },
      { refId: 'STATUS', queryType: 'retrainJobs', model: MODEL.id, status: 'done' },
      { refId: 'ALERTS', queryType: 'annotations', kind: 'alerts', model: 'no-such-model' },
    ]);
    expect(data).toEqual([]);
    const byRef = Object.fromEntries((errors ?? []).map((error) => [error.refId, error]));
    expect(byRef.MISSING).toMatchObject({ status: 404, message: expect.stringContaining('no-such-model') });
    expect(byRef.STATUS.message).toBe(
      'Unknown retrain job status "done": use one of scheduled, dispatched, running, succeeded, failed, cancelled'
    );
    expect(byRef.ALERTS).toMatchObject({ status: 404, message: expect.stringContaining('no-such-model') });
  });

  it('rejects scheduling for an unknown model with the server detail', async () => {
    await expect(dataSource().scheduleRetrain('no-such-model')).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('no-such-model'),
    });
  });
});

describe('annotations of retrain jobs and alerts', () => {
  it('a job the simulated trainer ran is a region from start to finish, saying what it did', async () => {
    await direct('PATCH', `/models/${MODEL_WITHOUT_BUSINESS.id}`, TOKENS.admin, {
      retraining: { trainer: { kind: 'simulated', delay_ms: 50 } },
    });
    // No production rows for this model: the trainer starts, finds nothing to promote and fails.
    const scheduled = await dataSource().scheduleRetrain(MODEL_WITHOUT_BUSINESS.id, { reason: 'Nightly check' });
    const finished = await waitForJob(scheduled.id, (j) => j.finished_at !== null);
    expect(finished.status).toBe('failed');
    expect(finished.started_at).not.toBeNull();

    const { data, errors } = await run([
      { refId: 'Anno', queryType: 'annotations', kind: 'retrainJobs', model: MODEL_WITHOUT_BUSINESS.id },
    ]);
    expect(errors).toEqual([]);
    const [frame] = data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    expect(fieldValues(frame, 'time')).toEqual([Date.parse(finished.started_at!)]);
    expect(fieldValues(frame, 'timeEnd')).toEqual([Date.parse(finished.finished_at!)]);
    expect(fieldValues(frame, 'title')).toEqual(['Retraining failed']);
    const [text] = fieldValues(frame, 'text') as string[];
    expect(text).toContain(`Retraining of ${MODEL_WITHOUT_BUSINESS.id} failed, requested by ${EDITOR.login}`);
    expect(text).toContain('Reason: Nightly check');
    expect(text).toContain(finished.message!.replace(/\.$/, ''));
    expect(fieldValues(frame, 'tags')).toEqual([['retraining', 'failed', 'manual']]);
  });

  it('an alert Grafana posted is a point when it started, with its summary and what drift-server did', async () => {
    const startsAt = new Date(productionStartMs + 30 * HOUR_MS).toISOString();
    const { alerts: decisions } = await direct<{ alerts: Array<{ action: string }> }>(
      'POST',
      '/alerts/grafana',
      TOKENS.operate,
      {
        receiver: 'DriftGuard retrain webhook',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: {
              alertname: 'DriftGuard feature drift (PSI)',
              model: MODEL.id,
              feature: 'income',
              severity: 'warning',
            },
            annotations: { summary: 'Feature income of model credit-risk has drifted: PSI 0.612.' },
            startsAt,
            fingerprint: 'a1b2c3d4e5f60718',
          },
        ],
      }
    );
    const [{ action }] = decisions;
    const recorded = await direct<{ alerts: AlertRecord[] }>('GET', `/models/${MODEL.id}/alerts`, TOKENS.read);
    expect(recorded.alerts).toHaveLength(1);

    const { data, errors } = await run([{ refId: 'Anno', queryType: 'annotations', kind: 'alerts', model: MODEL.id }]);
    expect(errors).toEqual([]);
    const [frame] = data as DataFrame[];
    expect(fieldValues(frame, 'time')).toEqual([Date.parse(startsAt)]);
    expect(fieldValues(frame, 'timeEnd')).toEqual([Date.parse(startsAt)]);
    expect(fieldValues(frame, 'title')).toEqual(['DriftGuard feature drift (PSI) firing']);
    const [text] = fieldValues(frame, 'text') as string[];
    expect(text).toMatch(/^Feature income of model credit-risk has drifted: PSI 0\.612\. Action: /);
    expect(fieldValues(frame, 'tags')).toEqual([['alert', 'firing', 'warning', 'income', action]]);
  });

  it('leaves out alerts that started outside the dashboard range', async () => {
    const before = queryRequest(
      [{ refId: 'Anno', queryType: 'annotations', kind: 'alerts', model: MODEL.id }],
      productionStartMs - 2 * DAY_MS,
      productionStartMs - DAY_MS
    );
    const { data } = await dataSource().query(before);
    expect((data as DataFrame[])[0].length).toBe(0);
  });
});

describe('report links', () => {
  async function fetchThroughGrafana(url: string) {
    const [path, query] = url.split('?');
    const response = await lastValueFrom(
      getBackendSrv().fetch<string>({ url: path, params: Object.fromEntries(new URLSearchParams(query)) })
    );
    return response.data;
  }

  it('point through the read route at drift-server CSV and PDF reports that a Viewer can open', async () => {
    const viewerSource = dataSource({ user: VIEWER });
    const csvUrl = viewerSource.reportUrl(MODEL.id, 'csv', productionWindow, { table: 'features' });
    expect(csvUrl).toBe(
      `${PROXY_URL}/read/api/v1/models/${MODEL.id}/report.csv?from=${productionStartMs}&to=${productionEndMs}&table=features`
    );
    const csv = await fetchThroughGrafana(csvUrl);
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toContain('feature');
    expect(rows.map((row) => row.split(',')[0].replace(/"/g, ''))).toEqual(
      expect.arrayContaining(['income', 'age', 'region'])
    );

    const pdfUrl = viewerSource.reportUrl(MODEL.id, 'pdf', productionWindow, { baseline: 'previous_period' });
    expect(pdfUrl).toBe(
      `${PROXY_URL}/read/api/v1/models/${MODEL.id}/report.pdf?from=${productionStartMs}&to=${productionEndMs}&reference=previous_period`
    );
    expect((await fetchThroughGrafana(pdfUrl)).startsWith('%PDF-')).toBe(true);
  });
});

describe('health check of the operate token', () => {
  it('fails when the operate token lacks scope operate, naming the scopes it has', async () => {
    const result = await dataSource({
      secureJsonData: { readToken: TOKENS.read, operateToken: TOKENS.read },
    }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /^Connected to drift-server \S+: read token OK\. The operate token "[^"]+" lacks the "operate" scope \(it has "read"\)/
    );
  });

  it('reports an unknown operate token but stays usable for reading', async () => {
    const result = await dataSource({
      secureJsonData: { readToken: TOKENS.read, operateToken: 'not-a-real-token-000000' },
    }).testDatasource();
    expect(result).toEqual({
      status: 'success',
      message: expect.stringContaining('Operate token missing or rejected (401)'),
    });
  });
});
