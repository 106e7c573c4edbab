import { Readable } from 'node:stream';
import type { Model, Store } from '../store';
import { DEMO_DAYS, DemoRow, demoScenario, DemoScenario, ROWS_PER_DAY, ScenarioNumber } from './scenarios';
import { DAY_MS } from '../time';

/** Days of traffic per prediction batch: 30 000 rows. */
const DAYS_PER_BATCH = 10;
/** Predictions a whole load stores. */
export const DEMO_PREDICTIONS = DEMO_DAYS * ROWS_PER_DAY;

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
 * `onBatch` hears the predictions stored so far after each batch.
 */
export async function loadDemoScenario(
  store: Store,
  number: ScenarioNumber,
  endMs: number,
  onBatch?: (predictions: number) => void
): Promise<LoadedDemo> {
  const scenario = demoScenario(number, { start: new Date(endMs - DEMO_DAYS * DAY_MS) });
  const model = await store.models.create(scenario.modelId, scenario.model);
  const reference = await store.references.upload(model, 'ndjson', ndjson(scenario.reference()));
  let predictions = 0;
  for (let first = 0; first < scenario.days; first += DAYS_PER_BATCH) {
    const rows: DemoRow[] = [];
    for (let day = first; day < Math.min(scenario.days, first + DAYS_PER_BATCH); day += 1)
      rows.push(...scenario.productionDay(day).rows);
    predictions += (await store.ingestion.ingestPredictions(model, 'ndjson', ndjson(rows))).result.rows;
    onBatch?.(predictions);
  }
  return { scenario, model, referenceRows: reference.row_count, predictions };
}

/**
 * What a load that did not finish (the process killed or stopped part way: each batch is atomic, the
 * load as a whole is not) left of a scenario's model: its missing reference or predictions, or
 * undefined when the model holds a whole load. Predictions ingested after the load only add to it.
 */
export async function unfinishedLoad(store: Store, modelId: string): Promise<string | undefined> {
  if ((await store.references.list(modelId)).length === 0) return 'no reference data';
  const predictions = await store.aggregates.predictionsStored(modelId);
  if (predictions < DEMO_PREDICTIONS)
    return `${predictions.toLocaleString('en-US')} of ${DEMO_PREDICTIONS.toLocaleString('en-US')} predictions`;
  return undefined;
}
