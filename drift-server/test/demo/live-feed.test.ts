import { DEMO_DAYS, LiveFeed, ScenarioTimeline } from '../../src/demo';
import { ATTACK_INCOME_FACTOR } from '../../src/demo/scenarios';
import { toNdjson } from '../api/data';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../src/time';

/** The scenario's 90 days end here, so the feed runs on past them. */
const END_MS = Date.UTC(2026, 2, 1);
const LABEL_DELAY_MS = 10 * MINUTE_MS;

const meanIncome = (rows: readonly Record<string, unknown>[]) =>
  rows.reduce((sum, row) => sum + Number(row.income), 0) / rows.length;

describe('ScenarioTimeline', () => {
  const timeline = new ScenarioTimeline(2, END_MS - DEMO_DAYS * DAY_MS);

  it("gives the scenario's own rows within its days and fresh rows, in the last day's conditions, after them", () => {
    const last = timeline.rowsBetween(END_MS - DAY_MS, END_MS);
    const next = timeline.rowsBetween(END_MS, END_MS + DAY_MS);
    expect(last).toEqual(timeline.scenario.productionDay(DEMO_DAYS - 1).rows);
    expect(next).toHaveLength(timeline.scenario.rowsPerDay);
    expect(next.every((row) => String(row.prediction_id).startsWith(`${timeline.scenario.modelId}-090-`))).toBe(true);
    expect(
      next.every(
        (row) => Date.parse(String(row.timestamp)) > END_MS && Date.parse(String(row.timestamp)) <= END_MS + DAY_MS
      )
    ).toBe(true);
    // Drawn afresh, not the last day again: the attack goes on with other applicants.
    expect(next.map((row) => row.income)).not.toEqual(last.map((row) => row.income));
    const before = timeline.rowsBetween(END_MS - 90 * DAY_MS, END_MS - 80 * DAY_MS);
    expect(meanIncome(next) / meanIncome(before)).toBeGreaterThan(ATTACK_INCOME_FACTOR * 0.9);
  });

  it('splits a span into parts that hold every row once, across a day boundary', () => {
    const whole = timeline.rowsBetween(END_MS - 3 * HOUR_MS, END_MS + 3 * HOUR_MS);
    const parts = [0, 1, 2, 3, 4, 5].flatMap((hour) =>
      timeline.rowsBetween(END_MS + (hour - 3) * HOUR_MS, END_MS + (hour - 2) * HOUR_MS)
    );
    expect(parts).toEqual(whole);
    expect(new Set(whole.map((row) => row.prediction_id)).size).toBe(whole.length);
  });
});

describe('LiveFeed into a running drift-server', () => {
  let t: TestServer;
  const timeline = new ScenarioTimeline(2, END_MS - DEMO_DAYS * DAY_MS);
  const model = timeline.scenario.modelId;

  beforeAll(async () => {
    t = await startTestServer();
    const registered = await t.call('/api/v1/models', {
      method: 'POST',
      body: JSON.stringify({ id: model, ...timeline.scenario.model }),
      headers: { 'content-type': 'application/json' },
    });
    expect(registered.status).toBe(201);
    const reference = await t.call(`/api/v1/models/${model}/references`, {
      method: 'POST',
      body: toNdjson(timeline.scenario.reference()),
      headers: { 'content-type': 'application/x-ndjson' },
      token: TOKENS.ingest,
    });
    expect(reference.status).toBe(201);
  });
  afterAll(() => t.stop());

  it('sends the predictions as they come due, and each label its delay later', async () => {
    const feed = new LiveFeed({ url: t.server.url, token: TOKENS.ingest }, timeline, END_MS, LABEL_DELAY_MS);
    const firstHour = timeline.rowsBetween(END_MS, END_MS + HOUR_MS);
    const labelled = firstHour.filter((row) => Date.parse(String(row.timestamp)) + LABEL_DELAY_MS <= END_MS + HOUR_MS);
    expect(await feed.advanceTo(END_MS + HOUR_MS)).toEqual({ predictions: firstHour.length, labels: labelled.length });
    expect(await t.server.store.freshness.of(model)).toEqual({
      newestPredictionMs: Date.parse(String(firstHour[firstHour.length - 1].timestamp)),
      newestLabelledMs: Date.parse(String(labelled[labelled.length - 1].timestamp)),
    });
    // Nothing new came due: nothing is sent again.
    expect(await feed.advanceTo(END_MS + HOUR_MS)).toEqual({ predictions: 0, labels: 0 });
    const secondHour = timeline.rowsBetween(END_MS + HOUR_MS, END_MS + 2 * HOUR_MS);
    expect((await feed.advanceTo(END_MS + 2 * HOUR_MS)).predictions).toBe(secondHour.length);
    const volume = await t.server.store.aggregates.volume(model, {
      fromMs: END_MS,
      toMs: END_MS + 2 * HOUR_MS,
      bucketMs: 2 * HOUR_MS,
    });
    expect(volume.get(0)).toBe(firstHour.length + secondHour.length);
    const accuracy = await t.server.store.aggregates.accuracy(model, 1, {
      fromMs: END_MS,
      toMs: END_MS + 2 * HOUR_MS,
      bucketMs: 2 * HOUR_MS,
    });
    const dueBy = (timeMs: number) =>
      [...firstHour, ...secondHour].filter((row) => Date.parse(String(row.timestamp)) + LABEL_DELAY_MS <= timeMs)
        .length;
    expect(accuracy.get(0)?.labelled).toBe(dueBy(END_MS + 2 * HOUR_MS));
  });
});
