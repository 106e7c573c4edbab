import {
  AlertAction,
  AlertOutcome,
  AlertStatus,
  ConflictError,
  Model,
  NotFoundError,
  ReceivedAlert,
} from '../../store';
import { KeyedMutex } from '../../store';
import type { DriftEngine } from '../drift-engine';
import { modelHealth, ModelHealth } from '../model-health';
import { resolveWindow } from '../window';
import type { RetrainScheduler } from './scheduler';

/** One alert of a Grafana alerting webhook notification; fields DriftGuard does not use are ignored. */
export interface GrafanaAlert {
  readonly status: AlertStatus;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly fingerprint: string;
}

export interface AlertDecision {
  readonly fingerprint: string;
  readonly model_id: string | null;
  readonly status: AlertStatus;
  readonly action: AlertAction;
  readonly recommendation: string | null;
  readonly job_id?: string;
}

/** Labels that name the model an alert is about, in order of preference. */
const MODEL_LABELS = ['model', 'model_id'] as const;

function modelLabel(labels: Readonly<Record<string, string>>): string | null {
  for (const name of MODEL_LABELS) {
    const value = labels[name];
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

/** Labels worth naming in a job's reason, after the alert name. */
const DESCRIBED_LABELS = ['feature', 'severity'] as const;

function retrainReason(alert: GrafanaAlert, health: ModelHealth): string {
  const alertname = alert.labels.alertname ?? 'unnamed alert';
  const details = DESCRIBED_LABELS.filter((name) => alert.labels[name]).map((name) => `${name} ${alert.labels[name]}`);
  const described = details.length > 0 ? ` (${details.join(', ')})` : '';
  const reasons = health.cost_benefit.reasons.slice(0, 2).join(' ');
  return `Grafana alert "${alertname}"${described} firing since ${new Date(Date.parse(alert.startsAt)).toISOString()}; recommendation retrain_now for ${health.window.from} to ${health.window.to}: ${reasons}`;
}

/**
 * The automatic retrain loop's decision for each alert Grafana sends: record it, and for a firing
 * alert on a model whose policy is `auto`, schedule a retrain when the cost-benefit engine says
 * `retrain_now`: a recoverable accuracy loss (labels below both the reference and the label-free
 * estimate, beyond the sampling error of each) confirmed on 2 of the last 3 days, that pays back
 * within half the horizon. `schedule_retrain` (pays back, but not within half the horizon, or
 * cannot be priced) schedules nothing: an unattended loop spends the retrain cost only when every
 * day of waiting visibly loses money, and leaves a retrain that can wait to a person and the
 * retrain advisor. An alert on the label-free estimate alone never retrains: the estimate cannot
 * show that retraining would recover anything.
 *
 * The figures are those of GET /api/v1/models/{id}/recommendation?to=<startsAt>: the day of data
 * before the alert started (or before now, if Grafana's clock runs ahead), against the latest
 * reference, so a delayed or repeated notification is judged on the data that raised it.
 */
export class AlertPolicy {
  /** Serialises the handling of one notification, so two deliveries of it never both act. */
  private readonly notifications = new KeyedMutex();

  constructor(
    private readonly engine: DriftEngine,
    private readonly scheduler: RetrainScheduler
  ) {}

  /** Decides on every alert, one at a time so alerts of one model see each other's jobs. */
  async handle(alerts: readonly GrafanaAlert[], requestedBy: string, nowMs = Date.now()): Promise<AlertDecision[]> {
    const decisions: AlertDecision[] = [];
    for (const alert of alerts) decisions.push(await this.handleOne(alert, requestedBy, nowMs));
    return decisions;
  }

  private async handleOne(alert: GrafanaAlert, requestedBy: string, nowMs: number): Promise<AlertDecision> {
    const startsMs = Date.parse(alert.startsAt);
    const key = JSON.stringify([alert.fingerprint, startsMs, alert.status]);
    return this.notifications.run(key, async () => {
      const store = this.engine.store;
      const model = await this.modelOf(alert);
      const answer = (
        outcome: AlertOutcome | { action: 'duplicate'; recommendation: null; jobId: null }
      ): AlertDecision => ({
        fingerprint: alert.fingerprint,
        model_id: model?.id ?? null,
        status: alert.status,
        action: outcome.action,
        recommendation: outcome.recommendation,
        ...(outcome.jobId === null ? {} : { job_id: outcome.jobId }),
      });
      const duplicate = { action: 'duplicate', recommendation: null, jobId: null } as const;
      if (await store.alerts.seen(alert.fingerprint, startsMs, alert.status)) return answer(duplicate);
      const outcome = await this.decide(alert, model, startsMs, requestedBy, nowMs);
      const received: ReceivedAlert = {
        fingerprint: alert.fingerprint,
        modelId: model?.id ?? null,
        alertname: alert.labels.alertname ?? '',
        status: alert.status,
        severity: alert.labels.severity ?? null,
        summary: alert.annotations?.summary ?? null,
        labels: alert.labels,
        startsMs,
      };
      const stored = await store.alerts.record(received, outcome, nowMs);
      return answer(stored ? outcome : duplicate);
    });
  }

  private async modelOf(alert: GrafanaAlert): Promise<Model | null> {
    const id = modelLabel(alert.labels);
    if (id === null) return null;
    try {
      return await this.engine.store.models.get(id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  private async decide(
    alert: GrafanaAlert,
    model: Model | null,
    startsMs: number,
    requestedBy: string,
    nowMs: number
  ): Promise<AlertOutcome> {
    if (model === null) return { action: 'no_model', recommendation: null, jobId: null };
    if (alert.status === 'resolved') return { action: 'resolved', recommendation: null, jobId: null };
    const health = await this.healthBefore(model.id, Math.min(startsMs, nowMs));
    if (health === null) return { action: 'no_recommendation', recommendation: null, jobId: null };
    const { recommendation } = health.cost_benefit;
    if (recommendation !== 'retrain_now') return { action: 'not_worth_it', recommendation, jobId: null };
    if (model.retraining.policy !== 'auto') return { action: 'manual_policy', recommendation, jobId: null };
    const { job, created } = await this.scheduler.request(model.id, {
      trigger: 'alert',
      reason: retrainReason(alert, health),
      requestedBy,
      alertFingerprint: alert.fingerprint,
    });
    return { action: created ? 'scheduled' : 'existing_job', recommendation, jobId: job.id };
  }

  /** The model's health over the day before `endMs`; null when it has no reference to compare with yet. */
  private async healthBefore(modelId: string, endMs: number): Promise<ModelHealth | null> {
    try {
      return await modelHealth(this.engine, modelId, resolveWindow(undefined, undefined, endMs), { kind: 'reference' });
    } catch (error) {
      if (error instanceof ConflictError) return null;
      throw error;
    }
  }
}
