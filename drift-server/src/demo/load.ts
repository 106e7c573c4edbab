import { Readable } from 'node:stream';
import type { Model, Store } from '../store';
import { DEMO_DAYS, DemoRow, demoScenario, DemoScenario, ScenarioNumber } from './scenarios';

const DAY_MS = 86_400_000;
/** Days of traffic per prediction batch: 30 000 rows. */
const DAYS_PER_BATCH = 10;

export interface LoadedDemo {
  readonly scenario: DemoScenario;
  readonly model: Model;
  readonly referenceRows: number;
  readonly predictions: number;
}

function ndjson(rows: readonly DemoRow[]): Readable {
  return Readable.from([rows.map((row) => JSON.stringify(row)).join('\n')]);
}

/**
 * Registers a scenario's model and loads it the way a serving system would, through the store's own
 * ingestion: the reference, then the predictions in batches of DAYS_PER_BATCH days. The rows carry
 * their labels, as if each batch were uploaded once its outcomes were known. The 90 days end at `endMs`.
 */
export async function loadDemoScenario(store: Store, number: ScenarioNumber, endMs: number): Promise<LoadedDemo> {
  const scenario = demoScenario(number, { start: new Date(endMs - DEMO_DAYS * DAY_MS) });
  const model = await store.models.create(scenario.modelId, scenario.model);
  const reference = await store.references.upload(model, 'ndjson', ndjson(scenario.reference()));
  let predictions = 0;
  for (let first = 0; first < scenario.days; first += DAYS_PER_BATCH) {
    const rows: DemoRow[] = [];
    for (let day = first; day < Math.min(scenario.days, first + DAYS_PER_BATCH); day += 1) rows.push(...scenario.productionDay(day).rows);
    predictions += (await store.ingestion.ingestPredictions(model, 'ndjson', ndjson(rows))).result.rows;
  }
  return { scenario, model, referenceRows: reference.row_count, predictions };
}
