import { DriftEngine } from '../../src/engine';
import { seededRandom, normal, toNdjson } from '../api/data';
import { startTestServer, TestServer } from '../api/harness';

const ndjson = { 'content-type': 'application/x-ndjson' };
const START = Date.UTC(2026, 5, 1);
const WINDOW = { fromMs: START, toMs: START + 86_400_000 };
/** More features than one raw-row scan reads, numeric and categorical interleaved. */
const FEATURES = Array.from({ length: 23 }, (_, i) => ({
  name: `f${i}`,
  kind: i % 4 === 3 ? 'categorical' : 'numeric',
  importance: 1,
}));

function dataRows(count: number, seed: number, production: boolean) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, row) => {
    const values = Object.fromEntries(
      FEATURES.map(({ name, kind }, i) => [
        name,
        kind === 'numeric'
          ? random() < 0.02
            ? null
            : normal(random, production ? i * 0.05 : 0, 1 + i / 10)
          : ['a', 'b', 'c'][Math.floor(random() * (production && i > 10 ? 2 : 3))],
      ])
    );
    return production
      ? { ...values, prediction_id: `p${row}`, timestamp: new Date(START + row * 60_000).toISOString() }
      : values;
  });
}

describe('feature deep dives of every feature at once', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    const model = {
      id: 'wide',
      name: 'wide',
      features: FEATURES,
      columns: { prediction: null, probability: null, label: null },
    };
    expect(
      (
        await t.json('/api/v1/models', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(model),
        })
      ).status
    ).toBe(201);
    expect(
      (
        await t.json('/api/v1/models/wide/references', {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(dataRows(400, 1, false)),
        })
      ).status
    ).toBe(201);
    expect(
      (
        await t.json('/api/v1/models/wide/predictions', {
          method: 'POST',
          headers: ndjson,
          body: toNdjson(dataRows(300, 2, true)),
        })
      ).status
    ).toBe(201);
  });
  afterAll(() => t.stop());

  it.each([{ kind: 'reference' as const }, { kind: 'previous_period' as const }])(
    'equal each feature’s own deep dive, in the model’s order (baseline $kind)',
    async (choice) => {
      const all = await new DriftEngine(t.server.store).featureDetails('wide', WINDOW, choice);
      expect(all.map((detail) => detail.drift.feature)).toEqual(FEATURES.map(({ name }) => name));
      for (const { name } of FEATURES) {
        const own = await new DriftEngine(t.server.store).featureDetail('wide', name, WINDOW, choice);
        expect(all.find((detail) => detail.drift.feature === name)).toEqual(own);
      }
      expect(all.filter((detail) => detail.drift.ks_statistic !== null)).toHaveLength(
        choice.kind === 'reference' ? 18 : 0
      );
      expect(all[19].drift.chi2_statistic === null).toBe(choice.kind === 'previous_period');
    }
  );
});
