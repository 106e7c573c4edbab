import { AlertRecord, RetrainJob, Severity, Trends } from 'driftguard-api-contract';
import { recorded } from 'driftguard-api-contract/test-support/recordings';
import { alertAnnotation, driftBreaches, retrainJobAnnotation } from './annotations';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

/** A recorded drifted hour (demo scenario 2), the template of every interval below. */
const RECORDED = recorded<Trends>('trends-income-hourly');
const DRIFTED_POINT = RECORDED.series[0].points.find((point) => point.findings.length > 0)!;

/** One income series; `marks` per interval: "." ok, "w"/"c" drifted warning/critical, upper case when persistent, "-" insufficient data. */
function trends(marks: string, psi: number[]): Trends {
  const severity: Record<string, Severity> = { '.': 'ok', w: 'warning', c: 'critical', '-': 'insufficient_data' };
  return {
    ...RECORDED,
    model_id: 'm',
    interval_ms: HOUR,
    series: [
      {
        feature: 'income',
        kind: 'numeric',
        points: [...marks].map((mark, i) => ({
          ...DRIFTED_POINT,
          time: new Date(START + i * HOUR).toISOString(),
          psi: psi[i],
          severity: severity[mark.toLowerCase()],
          drifted: mark.toLowerCase() === 'w' || mark.toLowerCase() === 'c',
          persistent: mark === 'W' || mark === 'C',
          findings:
            mark === '.' || mark === '-'
              ? []
              : [
                  {
                    ...DRIFTED_POINT.findings[0],
                    name: i === 2 ? 'out_of_range' : 'distribution_shift',
                    severity: severity[mark.toLowerCase()] as 'warning' | 'critical',
                  },
                ],
        })),
      },
    ],
  };
}

describe('driftBreaches', () => {
  it('merges a run of drifted intervals that persists into one region, from its first interval, with the worst severity, PSI and findings', () => {
    const result = driftBreaches(trends('.wCW.', [0.01, 0.12, 0.4, 0.15, 0.02]));
    expect(result).toEqual([
      {
        feature: 'income',
        startMs: START + HOUR,
        endMs: START + 4 * HOUR,
        worst: 'critical',
        maxPsi: 0.4,
        findings: ['distribution_shift', 'out_of_range'],
      },
    ]);
  });

  it('marks no drifted interval that does not persist: a stable feature’s occasional false verdict', () => {
    expect(driftBreaches(trends('..w...c..w.', new Array(11).fill(0.3)))).toEqual([]);
  });

  it('splits regions at ok or insufficient-data intervals', () => {
    const result = driftBreaches(trends('wW-wW', [0.12, 0.13, 0, 0.11, 0.12]));
    expect(result.map((b) => [b.startMs - START, b.endMs - START, b.worst])).toEqual([
      [0, 2 * HOUR, 'warning'],
      [3 * HOUR, 5 * HOUR, 'warning'],
    ]);
  });
});

function job(patch: Partial<RetrainJob>): RetrainJob {
  return {
    id: 'job-1',
    model_id: 'm',
    status: 'scheduled',
    trigger: 'manual',
    reason: 'Income drifted',
    requested_by: 'erin.editor',
    scheduled_for: new Date(START + 5 * HOUR).toISOString(),
    created_at: new Date(START).toISOString(),
    updated_at: new Date(START).toISOString(),
    started_at: null,
    finished_at: null,
    attempts: 0,
    reference_version: 1,
    new_reference_version: null,
    window: { from: new Date(START - 24 * HOUR).toISOString(), to: new Date(START).toISOString() },
    message: null,
    alert_fingerprint: null,
    ...patch,
  };
}

describe('retrainJobAnnotation', () => {
  it('is a point at the scheduled time until the job starts', () => {
    const row = retrainJobAnnotation(job({}));
    expect([row.startMs - START, row.endMs - START]).toEqual([5 * HOUR, 5 * HOUR]);
    expect(row.title).toBe('Retraining scheduled');
    expect(row.text).toBe('Retraining of m scheduled, requested by erin.editor. Reason: Income drifted');
    expect(row.tags).toEqual(['retraining', 'scheduled', 'manual']);
  });

  it('is a point at the start while running, a region from start to finish once done', () => {
    const started_at = new Date(START + 6 * HOUR).toISOString();
    const running = retrainJobAnnotation(job({ status: 'running', started_at }));
    expect([running.startMs - START, running.endMs - START]).toEqual([6 * HOUR, 6 * HOUR]);
    const done = retrainJobAnnotation(
      job({
        status: 'succeeded',
        trigger: 'alert',
        started_at,
        finished_at: new Date(START + 8 * HOUR).toISOString(),
        new_reference_version: 2,
        message: 'Trainer finished.',
      })
    );
    expect([done.startMs - START, done.endMs - START]).toEqual([6 * HOUR, 8 * HOUR]);
    expect(done.text).toBe(
      'Retraining of m succeeded, requested by erin.editor on an alert. Reason: Income drifted. New reference version 2. Trainer finished'
    );
    expect(done.tags).toEqual(['retraining', 'succeeded', 'alert']);
  });

  it('stays a point at the scheduled time for a job cancelled before it started', () => {
    const row = retrainJobAnnotation(job({ status: 'cancelled', finished_at: new Date(START + HOUR).toISOString() }));
    expect([row.startMs - START, row.endMs - START]).toEqual([5 * HOUR, 5 * HOUR]);
  });
});

describe('alertAnnotation', () => {
  const alert: AlertRecord = {
    id: 'a1',
    fingerprint: 'f1',
    model_id: 'm',
    alertname: 'DriftGuard feature drift (PSI)',
    status: 'firing',
    severity: 'warning',
    summary: null,
    labels: { model: 'm', feature: 'income' },
    starts_at: new Date(START + 3 * HOUR).toISOString(),
    received_at: new Date(START + 4 * HOUR).toISOString(),
    action: 'scheduled',
    recommendation: 'retrain_now',
    job_id: 'job-1',
  };

  it('is a point when the alert started, naming the feature and what drift-server did', () => {
    const row = alertAnnotation(alert);
    expect([row.startMs - START, row.endMs - START]).toEqual([3 * HOUR, 3 * HOUR]);
    expect(row.title).toBe('DriftGuard feature drift (PSI) firing');
    expect(row.text).toBe(
      'DriftGuard feature drift (PSI) firing for income. Action: drift-server scheduled retraining (job job-1)'
    );
    expect(row.tags).toEqual(['alert', 'firing', 'warning', 'income', 'scheduled']);
  });

  it("prefers the alert's summary and leaves out what it lacks", () => {
    const row = alertAnnotation({
      ...alert,
      summary: 'Income PSI is 0.31.',
      severity: null,
      labels: {},
      action: 'manual_policy',
      job_id: null,
    });
    expect(row.text).toBe('Income PSI is 0.31. Action: the model retrains manually only, so none was scheduled');
    expect(row.tags).toEqual(['alert', 'firing', 'manual_policy']);
  });
});
