import type { TimeWindow } from '../engine';
import type { AlertRecord, RetrainJob, Store } from '../store';

export interface WindowActivity {
  /** Jobs created, started or finished in the window, newest first. */
  readonly retrain_jobs: RetrainJob[];
  /** Alerts that started or arrived in the window, newest first. */
  readonly alerts: AlertRecord[];
}

/** An audit file lists everything in its window, not a page of it: far above the stores' default list sizes. */
const MOST_LISTED = 10_000;

/** The retrain jobs and the Grafana alerts of a model within the window. */
export async function windowActivity(store: Store, modelId: string, window: TimeWindow): Promise<WindowActivity> {
  const query = { modelId, fromMs: window.fromMs, toMs: window.toMs, limit: MOST_LISTED };
  const [retrainJobs, alerts] = await Promise.all([store.retrainJobs.list(query), store.alerts.list(query)]);
  return { retrain_jobs: retrainJobs, alerts };
}
