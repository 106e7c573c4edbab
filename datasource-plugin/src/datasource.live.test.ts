import { DataFrame, DataQueryRequest, DataQueryResponse, FieldType } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, getBackendSrv, setBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { AccuracyFigure, ModelSummary, Recommendation, Trends } from 'driftguard-api-contract';
import { ROUTES } from './api/DriftApi';
import { DriftApiError } from './api/errors';
import { checkHealth } from './health/checkHealth';
import { RunningDriftServer, startDriftServer, TOKENS } from './test-support/driftServer';
import { httpRequest } from './test-support/http';
import { VIEWER } from './test-support/grafanaDataProxy';
import { PROXY_URL } from './test-support/instanceSettings';
import { liveDataSource } from './test-support/liveDataSource';
import { fieldConfig, fieldValues, queryRequest } from './test-support/queries';
import {
  BUSINESS,
  DRIFT_START_HOUR,
  FEATURES,
  HOUR_MS,
  MODEL,
  MODEL_WITHOUT_BUSINESS,
  PRODUCTION_HOURS,
  ROWS_PER_HOUR,
  seedModel,
} from './test-support/seed';
import { DriftQuery, DriftVariableQuery } from './types';
import { DriftVariableSupport } from './variables/DriftVariableSupport';

// Starting drift-server from source and seeding ~5 000 rows takes a few seconds on two cores.
jest.setTimeout(90_000);

const GOOD_TOKENS = { readToken: TOKENS.read, operateToken: TOKENS.operate };
// Midnight UTC three days ago: within raw-row retention, and aligned with 6h/12h/1d trend intervals.
const DAY_MS = 24 * HOUR_MS;
const productionStartMs = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
const windowEndMs = productionStartMs + PRODUCTION_HOURS * HOUR_MS;

let server: RunningDriftServer;

beforeAll(async () => {
  server = await startDriftServer();
  await seedModel(server.url, productionStartMs);
});

afterAll(() => server?.stop());

function request(targets: DriftQuery[], fromMs = productionStartMs, toMs = windowEndMs): DataQueryRequest<DriftQuery> {
  return queryRequest(targets, fromMs, toMs);
}

async function run(
  targets: DriftQuery[],
  variables: Record<string, string | string[]> = {}
): Promise<DataQueryResponse> {
  return liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS, variables }).query(request(targets));
}

/** drift-server's own answer for the test window, to compare the frames with. */
async function directResponse<T>(model: string, resource: string, extra = ''): Promise<{ status: number; body: T }> {
  const url = `${server.url}/api/v1/models/${model}/${resource}?from=${productionStartMs}&to=${windowEndMs}${extra}`;
  const response = await httpRequest(url, { headers: { authorization: `Bearer ${TOKENS.read}` } });
  return { status: response.status, body: JSON.parse(response.body) as T };
}

async function directWindowGet<T>(model: string, resource: string, extra = ''): Promise<T> {
  const { status, body } = await directResponse<T>(model, resource, extra);
  expect(status).toBe(200);
  return body;
}

describe('health check (testDatasource) against a live drift-server', () => {
  it('reports success with the server version when both tokens work', async () => {
    const result = await liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS }).testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(
      /^Connected to drift-server \d+\.\d+\.\d+: read token OK\. Operate token "[^"]+" OK\.$/
    );
  });

  it('names an unknown read token (drift-server 401, rewritten to 400 by Grafana)', async () => {
    const result = await liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: 'not-a-real-token-000000' },
    }).testDatasource();
    expect(result).toEqual({ status: 'error', message: expect.stringContaining('rejected the read token (401') });
  });

  it('names a read token without the read scope (drift-server 403)', async () => {
    const result = await liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: TOKENS.ingest },
    }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toContain('lacks the "read" scope (403)');
    expect(result.message).toContain('needs scope "read"');
  });

  it('says when the operate token is missing', async () => {
    const result = await liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: TOKENS.read },
    }).testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toContain('Operate token missing or rejected');
  });

  it('reports an unreachable server', async () => {
    const closedPort = 'http://127.0.0.1:9';
    const result = await liveDataSource({ serverUrl: closedPort, secureJsonData: GOOD_TOKENS }).testDatasource();
    expect(result).toEqual({
      status: 'error',
      message: expect.stringContaining(`Cannot reach drift-server at ${closedPort}`),
    });
  });

  it('asks for the URL when none is set', async () => {
    const result = await liveDataSource({ serverUrl: '', secureJsonData: GOOD_TOKENS }).testDatasource();
    expect(result.message).toContain('Set the drift-server URL');
  });

  it('refuses a server older than the minimum version', async () => {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS });
    const result = await checkHealth(datasource.api, server.url, '99.0.0');
    expect(result).toEqual({
      status: 'error',
      message: expect.stringMatching(/^drift-server \S+ is too old: this plugin needs 99\.0\.0 or newer\.$/),
    });
  });
});

describe('health check: tokens that would hand Grafana users drift-server admin', () => {
  it('refuses an admin token in the operate slot, saying why', async () => {
    const result = await liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: TOKENS.read, operateToken: TOKENS.admin },
    }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toContain('The operate token "admin" has scope "admin": Grafana sends it for every Editor');
    expect(result.message).toContain('--scope read operate');
  });

  it('refuses an admin token in the read slot too: Grafana sends that one for every Viewer', async () => {
    const result = await liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: TOKENS.admin, operateToken: TOKENS.operate },
    }).testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toContain('The read token "admin" has scope "admin": Grafana sends it for every Viewer');
  });
});

describe('routes as the Grafana data proxy applies them', () => {
  it('denies the operate token to a Viewer before it reaches drift-server', async () => {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS, user: VIEWER });
    await expect(datasource.api.whoami(ROUTES.operateWhoami)).rejects.toMatchObject({ kind: 'role', status: 403 });
    await expect(datasource.api.openApiDocument()).resolves.toMatchObject({ info: { title: 'DriftGuard API' } });
  });

  it('works with a trailing slash on serverUrl (one slash before /api/v1)', async () => {
    const datasource = liveDataSource({ serverUrl: `${server.url}/`, secureJsonData: GOOD_TOKENS });
    await expect(datasource.testDatasource()).resolves.toMatchObject({ status: 'success' });
    await expect(datasource.listModels()).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ id: MODEL.id })]));
  });

  it('sends the operate token on POST only: an Editor\'s GET through the operate route goes nowhere', async () => {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS });
    const answer = await lastValueFrom(
      getBackendSrv().fetch({ url: `${PROXY_URL}/operate/api/v1/whoami`, showErrorAlert: false })
    ).catch((error) => error);
    expect(answer.status).toBe(502);
    expect(datasource).toBeDefined();
  });
});

describe('one panel refresh', () => {
  it('asks drift-server for /summary once when the feature table and the model summary both need it', async () => {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS });
    const requested: string[] = [];
    const backend = getBackendSrv();
    setBackendSrv({
      fetch: (options: BackendSrvRequest) => {
        requested.push(options.url);
        return backend.fetch(options);
      },
    } as unknown as BackendSrv);
    const { errors } = await datasource.query(
      request([
        { refId: 'A', queryType: 'featureTable', model: MODEL.id },
        { refId: 'B', queryType: 'modelSummary', model: MODEL.id },
      ])
    );
    expect(errors).toEqual([]);
    expect(requested.filter((url) => url.endsWith('/summary'))).toHaveLength(1);
    await datasource.query(request([{ refId: 'A', queryType: 'featureTable', model: MODEL.id }]));
    // The next refresh asks again: nothing is kept between refreshes.
    expect(requested.filter((url) => url.endsWith('/summary'))).toHaveLength(2);
  });
});

describe('interpolateVariablesInQueries (Explore, dashboard links)', () => {
  it('replaces $model and $feature and points the query at this data source', () => {
    const datasource = liveDataSource({
      serverUrl: server.url,
      secureJsonData: GOOD_TOKENS,
      variables: { model: MODEL.id, feature: ['income', 'age'] },
    });
    const [query] = datasource.interpolateVariablesInQueries(
      [{ refId: 'A', queryType: 'featureDetail', model: '$model', feature: '${feature}' }],
      {}
    );
    expect(query).toMatchObject({ refId: 'A', queryType: 'featureDetail', model: MODEL.id, feature: 'income,age' });
    expect(query.datasource).toEqual({ type: 'driftguard-drift-datasource', uid: 'driftguard' });
  });
});

describe('queries → frames against a live drift-server', () => {
  it('model summary: one numeric-wide row that matches /summary', async () => {
    const { data, errors } = await run([{ refId: 'A', queryType: 'modelSummary', model: MODEL.id }]);
    expect(errors).toEqual([]);
    expect(data).toHaveLength(1);
    const [frame] = data as DataFrame[];
    expect(frame.refId).toBe('A');
    expect(frame.meta?.type).toBe('numeric-wide');
    expect(frame.length).toBe(1);
    const summary = await directWindowGet<ModelSummary>(MODEL.id, 'summary');
    expect(fieldValues(frame, 'total_predictions')).toEqual([PRODUCTION_HOURS * ROWS_PER_HOUR]);
    expect(fieldValues(frame, 'average_drift_score')).toEqual([summary.average_drift_score]);
    expect(fieldValues(frame, 'drifted_features')).toEqual([summary.drifted_features]);
    expect(summary.drifted_features).toBeGreaterThanOrEqual(1);
    expect(frame.fields.every((f) => f.type === FieldType.number && f.config.displayNameFromDS)).toBe(true);
  });

  it('model summary: health score and accuracy figures as /summary gives them, with units and ranges', async () => {
    const { data } = await run([{ refId: 'A', queryType: 'modelSummary', model: MODEL.id }]);
    const [frame] = data as DataFrame[];
    const summary = await directWindowGet<ModelSummary>(MODEL.id, 'summary');
    const accuracies = [summary.estimated_accuracy, summary.realized_accuracy, summary.reference_accuracy];
    expect(accuracies.every((figure) => figure !== null)).toBe(true);
    expect(fieldValues(frame, 'health_score')).toEqual([summary.health_score]);
    expect(summary.health_score).toBeLessThan(100);
    expect(fieldValues(frame, 'estimated_accuracy')).toEqual([summary.estimated_accuracy?.value]);
    expect(fieldValues(frame, 'realized_accuracy')).toEqual([summary.realized_accuracy?.value]);
    expect(fieldValues(frame, 'reference_accuracy')).toEqual([summary.reference_accuracy?.value]);
    expect(fieldConfig(frame, 'health_score')).toMatchObject({ unit: 'none', min: 0, max: 100 });
    for (const name of ['estimated_accuracy', 'realized_accuracy', 'reference_accuracy']) {
      expect(fieldConfig(frame, name)).toMatchObject({ unit: 'percentunit', min: 0, max: 1 });
    }
  });

  it('model summary: figures drift-server cannot compute are null, never NaN', async () => {
    // No production rows: no health, no estimate, no labels; the reference accuracy still exists.
    const { data } = await run([{ refId: 'A', queryType: 'modelSummary', model: MODEL_WITHOUT_BUSINESS.id }]);
    const [frame] = data as DataFrame[];
    const summary = await directWindowGet<ModelSummary>(MODEL_WITHOUT_BUSINESS.id, 'summary');
    expect([summary.health_score, summary.estimated_accuracy, summary.realized_accuracy]).toEqual([null, null, null]);
    expect(fieldValues(frame, 'health_score')).toEqual([null]);
    expect(fieldValues(frame, 'estimated_accuracy')).toEqual([null]);
    expect(fieldValues(frame, 'realized_accuracy')).toEqual([null]);
    expect(fieldValues(frame, 'reference_accuracy')).toEqual([(summary.reference_accuracy as AccuracyFigure).value]);
  });

  it('recommendation: one row with the advice, its reasons and the money in the model currency', async () => {
    const { data, errors } = await run([{ refId: 'R', queryType: 'recommendation', model: MODEL.id }]);
    expect(errors).toEqual([]);
    const [frame] = data as DataFrame[];
    expect(frame.length).toBe(1);
    const advice = await directWindowGet<Recommendation>(MODEL.id, 'recommendation');
    // Labels turn into coin flips in the second day: a material drop, so money is at risk.
    expect(advice.revenue_at_risk_per_day).toBeGreaterThan(0);
    expect(advice.reasons.length).toBeGreaterThan(1);
    expect(fieldValues(frame, 'recommendation')).toEqual([advice.recommendation]);
    expect(fieldValues(frame, 'reasons')).toEqual([advice.reasons.join('\n')]);
    for (const name of ['revenue_at_risk_per_day', 'retrain_cost', 'recoverable_value'] as const) {
      expect(fieldValues(frame, name)).toEqual([advice[name]]);
      expect(fieldConfig(frame, name)?.unit).toBe(`currency${BUSINESS.currency}`);
    }
    expect(fieldValues(frame, 'retrain_cost')).toEqual([BUSINESS.retrain_cost]);
    expect(fieldValues(frame, 'payback_days')).toEqual([advice.payback_days]);
    expect(fieldValues(frame, 'accuracy_drop')).toEqual([advice.accuracy_drop]);
    expect(fieldConfig(frame, 'accuracy_drop')?.unit).toBe('percentunit');
    expect(fieldConfig(frame, 'recommendation')?.mappings).toHaveLength(1);
  });

  it('recommendation: a model without business parameters still gets its advice and reasons, the money fields empty', async () => {
    const { status, body } = await directResponse<Recommendation>(MODEL_WITHOUT_BUSINESS.id, 'recommendation');
    expect(status).toBe(200);
    expect(body.reasons.join(' ')).toContain('business parameters');
    const { data, errors } = await run([
      { refId: 'OK', queryType: 'recommendation', model: MODEL.id },
      { refId: 'R', queryType: 'recommendation', model: MODEL_WITHOUT_BUSINESS.id },
    ]);
    expect(errors).toEqual([]);
    expect(data.map((frame: DataFrame) => frame.refId)).toEqual(['OK', 'R']);
    const frame = (data as DataFrame[])[1];
    expect(fieldValues(frame, 'recommendation')).toEqual([body.recommendation]);
    expect(fieldValues(frame, 'reasons')).toEqual([body.reasons.join('\n')]);
    for (const name of ['revenue_at_risk_per_day', 'retrain_cost', 'recoverable_value', 'payback_days'] as const) expect(fieldValues(frame, name)).toEqual([null]);
  });

  it('feature table: one row per feature, the shifted income first and critical', async () => {
    const { data } = await run([{ refId: 'T', queryType: 'featureTable', model: MODEL.id }]);
    const [frame] = data as DataFrame[];
    expect(frame.length).toBe(FEATURES.length);
    expect(fieldValues(frame, 'feature')[0]).toBe('income');
    expect(fieldValues(frame, 'severity')[0]).toBe('critical');
    const missing = frame.fields.find((f) => f.name === 'production_missing_share');
    expect(missing?.config.unit).toBe('percentunit');
    expect(frame.fields.find((f) => f.name === 'severity')?.config.mappings).toHaveLength(1);
  });

  it('feature detail: histogram, metrics and statistics frames of a numeric feature', async () => {
    const { data, errors } = await run([
      { refId: 'D', queryType: 'featureDetail', model: MODEL.id, feature: 'income' },
    ]);
    expect(errors).toEqual([]);
    expect(data.map((frame: DataFrame) => frame.name)).toEqual(['histogram', 'metrics', 'statistics']);
    const [histogram, metrics, statistics] = data as DataFrame[];
    const referenceShares = fieldValues(histogram, 'reference_share') as number[];
    expect(referenceShares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 9);
    // Ten quantile bins and the two tail bins beyond the reference's range (docs/STATISTICS.md §1),
    // which the reference leaves empty.
    expect(histogram.length).toBe(12);
    const labels = fieldValues(histogram, 'bin') as string[];
    expect([labels[0], labels[labels.length - 1]]).toEqual([expect.stringMatching(/^< /), expect.stringMatching(/^> /)]);
    expect([referenceShares[0], referenceShares[referenceShares.length - 1]]).toEqual([0, 0]);
    expect(fieldValues(metrics, 'ks_statistic')[0]).toBeGreaterThan(0.3);
    expect(metrics.fields.map((f) => f.name)).not.toContain('chi2_statistic');
    const statisticNames = fieldValues(statistics, 'statistic');
    expect(statisticNames).toContain('mean');
    const mean = statisticNames.indexOf('mean');
    expect(fieldValues(statistics, 'production')[mean] as number).toBeGreaterThan(
      fieldValues(statistics, 'reference')[mean] as number
    );
  });

  it('feature detail: a categorical feature carries chi-square, one section on request', async () => {
    const { data } = await run([
      { refId: 'D', queryType: 'featureDetail', model: MODEL.id, feature: 'region', section: 'metrics' },
    ]);
    expect(data).toHaveLength(1);
    const [metrics] = data as DataFrame[];
    expect(metrics.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['chi2_statistic', 'chi2_pvalue', 'chi2_dof'])
    );
    expect(metrics.fields.map((f) => f.name)).not.toContain('ks_statistic');
  });

  it('trends: one time series per feature, time field first, labelled, one point per hour', async () => {
    const { data } = await run([{ refId: 'P', queryType: 'trends', model: MODEL.id, metric: 'psi' }]);
    expect(data.map((frame: DataFrame) => frame.name)).toEqual(FEATURES.map((f) => f.name));
    for (const frame of data as DataFrame[]) {
      expect(frame.meta?.type).toBe('timeseries-multi');
      expect(frame.fields[0].type).toBe(FieldType.time);
      expect(frame.fields[1].labels).toEqual({ model: MODEL.id, feature: frame.name });
      expect(frame.fields[1].config.displayNameFromDS).toBe(`${frame.name} PSI`);
      expect(frame.length).toBe(PRODUCTION_HOURS);
    }
    const income = data[0] as DataFrame;
    const psi = fieldValues(income, 'psi') as Array<number | null>;
    expect(fieldValues(income, 'time')[0]).toBe(productionStartMs);
    expect(Math.max(...(psi.slice(0, DRIFT_START_HOUR) as number[]))).toBeLessThan(0.5);
    expect(Math.min(...(psi.slice(DRIFT_START_HOUR) as number[]))).toBeGreaterThan(0.5);
  });

  it('trends: volume per interval adds up to every seeded prediction; a 6h interval gives 8 points', async () => {
    const { data } = await run([
      { refId: 'V', queryType: 'trends', model: MODEL.id, metric: 'volume', interval: '6h' },
    ]);
    const [frame] = data as DataFrame[];
    expect(frame.length).toBe(PRODUCTION_HOURS / 6);
    const total = (fieldValues(frame, 'predictions') as number[]).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(PRODUCTION_HOURS * ROWS_PER_HOUR);
  });

  it.each([
    ['health', 'Health score', 'none'],
    ['estimated_accuracy', 'Estimated accuracy', 'percentunit'],
    ['realized_accuracy', 'Realized accuracy', 'percentunit'],
  ] as const)(
    'trends: %s is one series from the model-level series, labelled with the model',
    async (metric, name, unit) => {
      // A feature selection narrows the feature series only; the model series covers every feature.
      const { data, errors } = await run([
        { refId: 'M', queryType: 'trends', model: MODEL.id, metric, feature: 'age', interval: '6h' },
      ]);
      expect(errors).toEqual([]);
      expect(data).toHaveLength(1);
      const [frame] = data as DataFrame[];
      const trends = await directWindowGet<Required<Trends>>(MODEL.id, 'trends', '&interval=6h&series=model');
      expect(frame.meta?.type).toBe('timeseries-multi');
      expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
        ['time', FieldType.time],
        [metric, FieldType.number],
      ]);
      expect(frame.fields[1].labels).toEqual({ model: MODEL.id });
      expect(frame.fields[1].config).toMatchObject({ displayNameFromDS: name, unit });
      expect(fieldValues(frame, 'time')).toEqual(trends.model.points.map((point) => Date.parse(point.time)));
      const values = trends.model.points.map((point) => point[metric]);
      expect(values).toHaveLength(PRODUCTION_HOURS / 6);
      expect(values.every((value) => typeof value === 'number')).toBe(true);
      expect(fieldValues(frame, metric)).toEqual(values);
    }
  );

  it('interpolates template variables in every string field, multi-value features as a list', async () => {
    const { data, errors } = await run(
      [{ refId: 'P', queryType: 'trends', model: '$model', feature: '$feature', metric: 'psi', interval: '${step}' }],
      { model: MODEL.id, feature: ['age', 'region'], step: '12h' }
    );
    expect(errors).toEqual([]);
    expect(data.map((frame: DataFrame) => frame.name)).toEqual(['age', 'region']);
    expect((data[0] as DataFrame).length).toBe(PRODUCTION_HOURS / 12);
  });

  it('annotations: one drift breach region for income, from the hour the shift started', async () => {
    // 6h intervals: with 60 rows an hour, hourly PSI of an unchanged feature crosses its noise level now and then.
    const { data } = await run([
      {
        refId: 'Anno',
        queryType: 'annotations',
        kind: 'driftBreaches',
        model: MODEL.id,
        feature: 'income',
        interval: '6h',
      },
    ]);
    const [frame] = data as DataFrame[];
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    expect(fieldValues(frame, 'time')).toEqual([productionStartMs + DRIFT_START_HOUR * HOUR_MS]);
    expect(fieldValues(frame, 'timeEnd')).toEqual([windowEndMs]);
    expect(fieldValues(frame, 'title')).toEqual(['income: critical drift']);
  });

  it('surfaces errors per query, keeping the frames of the queries that worked', async () => {
    const { data, errors } = await run([
      { refId: 'OK', queryType: 'modelSummary', model: MODEL.id },
      { refId: 'MISSING', queryType: 'modelSummary', model: 'no-such-model' },
      { refId: 'NOFEATURE', queryType: 'featureDetail', model: MODEL.id },
      { refId: 'UNKNOWN', queryType: 'deployments', model: MODEL.id },
      { refId: 'BADFEATURE', queryType: 'featureDetail', model: MODEL.id, feature: 'salary' },
      { refId: 'KIND', queryType: 'annotations', kind: 'deployments', model: MODEL.id },
    ]);
    expect(data.map((frame: DataFrame) => frame.refId)).toEqual(['OK']);
    const byRef = Object.fromEntries((errors ?? []).map((error) => [error.refId, error]));
    expect(byRef.MISSING).toMatchObject({ status: 404, message: expect.stringContaining('no-such-model') });
    expect(byRef.NOFEATURE.message).toBe('Choose a feature');
    expect(byRef.UNKNOWN.message).toContain('Query type "deployments" is not supported');
    expect(byRef.BADFEATURE).toMatchObject({ status: 404, message: expect.stringContaining('salary') });
    expect(byRef.KIND.message).toContain('Annotation kind "deployments" is not supported');
  });

  it('surfaces a rejected read token as a query error, not as frames', async () => {
    const datasource = liveDataSource({
      serverUrl: server.url,
      secureJsonData: { readToken: 'not-a-real-token-000000' },
    });
    const { data, errors } = await datasource.query(
      request([{ refId: 'A', queryType: 'modelSummary', model: MODEL.id }])
    );
    expect(data).toEqual([]);
    expect(errors).toEqual([{ refId: 'A', status: 400, message: expect.stringContaining('rejected the token') }]);
  });
});

describe('template variables (variable support) against a live drift-server', () => {
  async function values(query: DriftVariableQuery, variables: Record<string, string> = {}) {
    const datasource = liveDataSource({ serverUrl: server.url, secureJsonData: GOOD_TOKENS, variables });
    const variableRequest = { ...request([]), targets: [query] } as unknown as DataQueryRequest<DriftVariableQuery>;
    const variableSupport = datasource.variables as DriftVariableSupport;
    const response = await lastValueFrom(variableSupport.query(variableRequest));
    return response.data;
  }

  it('lists models by name with their ids as values', async () => {
    await expect(values({ refId: 'V', queryType: 'models' })).resolves.toEqual(
      [MODEL, MODEL_WITHOUT_BUSINESS].map((model) => ({ text: model.name, value: model.id }))
    );
  });

  it('lists the features of $model', async () => {
    await expect(values({ refId: 'V', queryType: 'features', model: '$model' }, { model: MODEL.id })).resolves.toEqual(
      FEATURES.map((f) => ({ text: f.name, value: f.name }))
    );
  });

  it('fails clearly for an unknown model', async () => {
    await expect(values({ refId: 'V', queryType: 'features', model: 'nope' })).rejects.toBeInstanceOf(DriftApiError);
  });
});
