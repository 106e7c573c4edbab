import { streamSeed } from './random';
import { DEMO_DAYS, DEMO_SEED, DemoRow, demoScenario, DemoScenario, ScenarioNumber } from './scenarios';
import { DAY_MS } from '../time';

/** Random streams of the days after the scenario's own, clear of the streams its days use. */
const CONTINUATION_STREAM = 2_000_000;

/**
 * A scenario laid out in time from `startMs`: its day d covers [start + d days, start + d + 1 days).
 * Days after its last continue in the conditions of its last day (the attack goes on, the decay
 * stays at its final level), each day drawn afresh from its own random stream, with prediction ids
 * of its own; so a stream of predictions can run on past the 90 days for as long as it is watched.
 */
export class ScenarioTimeline {
  readonly scenario: DemoScenario;
  private cached: { day: number; rows: DemoRow[] } | undefined;

  constructor(
    readonly number: ScenarioNumber,
    readonly startMs: number
  ) {
    this.scenario = demoScenario(number, { start: new Date(startMs) });
  }

  /** The day holding `timeMs`: 0 for the scenario's first, DEMO_DAYS and on for the continuation. */
  dayOf(timeMs: number): number {
    return Math.floor((timeMs - this.startMs) / DAY_MS);
  }

  /** Production rows stamped in (fromMs, toMs], in time order. */
  rowsBetween(fromMs: number, toMs: number): DemoRow[] {
    const rows: DemoRow[] = [];
    for (let day = Math.max(0, this.dayOf(fromMs)); day <= this.dayOf(toMs); day += 1) {
      for (const row of this.rowsOf(day)) {
        const timeMs = Date.parse(String(row.timestamp));
        if (timeMs > fromMs && timeMs <= toMs) rows.push(row);
      }
    }
    return rows;
  }

  private rowsOf(day: number): DemoRow[] {
    if (this.cached?.day !== day)
      this.cached = { day, rows: day < DEMO_DAYS ? this.scenario.productionDay(day).rows : this.continued(day) };
    return this.cached.rows;
  }

  /** A day after the scenario's last: its last day's conditions, drawn from the day's own stream and placed on the day. */
  private continued(day: number): DemoRow[] {
    const last = DEMO_DAYS - 1;
    const shifted = demoScenario(this.number, {
      start: new Date(this.startMs + (day - last) * DAY_MS),
      seed: streamSeed(DEMO_SEED, CONTINUATION_STREAM + day),
    });
    return shifted.productionDay(last).rows.map((row, index) => ({
      ...row,
      prediction_id: `${this.scenario.modelId}-${String(day).padStart(3, '0')}-${String(index).padStart(5, '0')}`,
    }));
  }
}
