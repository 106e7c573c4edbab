import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { AlertAction, AlertRecord, isDriftSeverity, RetrainJob, Severity, Trends } from 'driftguard-api-contract';
import { statusText } from './retrainJobs';

interface Breach {
  feature: string;
  startMs: number;
  endMs: number;
  worst: Severity;
  maxPsi: number;
  findings: string[];
}

/**
 * Runs of consecutive drifted intervals, per feature, that persist: drift-server's calibrated
 * verdict (beyond sampling noise at the interval's size, false-discovery controlled across the
 * model's features, practically large) held in enough intervals in a row that at least one is
 * `persistent`. One interval's verdict is wrong at the false-discovery rate, so marking every
 * drifted hour would still mark a few stable ones; a persistent verdict practically never does.
 * The region starts at the run's first drifted interval, where the drift began.
 */
export function driftBreaches(trends: Trends): Breach[] {
  const breaches: Breach[] = [];
  for (const series of trends.series) {
    let run: Breach | undefined;
    let persists = false;
    const close = () => {
      if (run && persists) {
        breaches.push(run);
      }
      run = undefined;
      persists = false;
    };
    for (const point of series.points) {
      if (!point.drifted || !isDriftSeverity(point.severity)) {
        close();
        continue;
      }
      const startMs = Date.parse(point.time);
      run ??= { feature: series.feature, startMs, endMs: startMs, worst: point.severity, maxPsi: 0, findings: [] };
      persists ||= point.persistent;
      run.endMs = startMs + trends.interval_ms;
      run.worst = point.severity === 'critical' ? 'critical' : run.worst;
      run.maxPsi = Math.max(run.maxPsi, point.psi ?? 0);
      for (const finding of point.findings) {
        if (!run.findings.includes(finding.name)) {
          run.findings.push(finding.name);
        }
      }
    }
    close();
  }
  return breaches;
}

/** One annotation event; a point when endMs equals startMs. */
export interface AnnotationRow {
  startMs: number;
  endMs: number;
  title: string;
  text: string;
  tags: string[];
}

/** The fields (time, timeEnd, title, text, tags) Grafana turns into annotation events. */
function annotationFrame(name: string, rows: AnnotationRow[]): DataFrame {
  return createDataFrame({
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((row) => row.startMs) },
      { name: 'timeEnd', type: FieldType.time, values: rows.map((row) => row.endMs) },
      { name: 'title', type: FieldType.string, values: rows.map((row) => row.title) },
      { name: 'text', type: FieldType.string, values: rows.map((row) => row.text) },
      { name: 'tags', type: FieldType.other, values: rows.map((row) => row.tags) },
    ],
  });
}

/** Regions where a feature's drift persisted, by drift-server's calibrated verdicts. */
export function driftBreachAnnotationFrame(trends: Trends): DataFrame {
  return annotationFrame(
    'drift breaches',
    driftBreaches(trends).map((b) => ({
      startMs: b.startMs,
      endMs: b.endMs,
      title: `${b.feature}: ${b.worst} drift`,
      text: `${b.findings.join(', ').replace(/_/g, ' ')}; PSI up to ${b.maxPsi.toFixed(3)} (${b.worst})`,
      tags: ['drift', b.worst, b.feature],
    }))
  );
}

function sentences(parts: Array<string | null | false | undefined>): string {
  return parts
    .filter((part): part is string => Boolean(part))
    .map((part) => part.replace(/\.+$/, ''))
    .join('. ');
}

/** A region from start to finish once a job has run; a point at its start, or at its scheduled time before that. */
export function retrainJobAnnotation(job: RetrainJob): AnnotationRow {
  const startMs = Date.parse(job.started_at ?? job.scheduled_for);
  return {
    startMs,
    endMs: job.started_at && job.finished_at ? Date.parse(job.finished_at) : startMs,
    title: `Retraining ${statusText(job.status).toLowerCase()}`,
    text: sentences([
      `Retraining of ${job.model_id} ${statusText(job.status).toLowerCase()}, requested by ${job.requested_by}` +
        (job.trigger === 'alert' ? ' on an alert' : ''),
      job.reason && `Reason: ${job.reason}`,
      job.new_reference_version !== null && `New reference version ${job.new_reference_version}`,
      job.message,
    ]),
    tags: ['retraining', job.status, job.trigger],
  };
}

export function retrainJobAnnotationFrame(jobs: RetrainJob[]): DataFrame {
  return annotationFrame('retrain jobs', jobs.map(retrainJobAnnotation));
}

const ALERT_ACTION_TEXT: Record<AlertAction, string> = {
  scheduled: 'drift-server scheduled retraining',
  existing_job: 'a retrain job was already active',
  not_worth_it: 'retraining would not pay off now, so none was scheduled',
  no_recommendation: 'no cost-benefit recommendation (business parameters or a calibrated reference missing)',
  manual_policy: 'the model retrains manually only, so none was scheduled',
  duplicate: 'a repeat of a notification already received',
  resolved: 'the alert resolved',
  no_model: 'the alert names no known model',
};

/** A point at the time the alert started firing (or resolved), saying what drift-server did about it. */
export function alertAnnotation(alert: AlertRecord): AnnotationRow {
  const startMs = Date.parse(alert.starts_at);
  const feature = alert.labels.feature;
  return {
    startMs,
    endMs: startMs,
    title: `${alert.alertname} ${alert.status}`,
    text: sentences([
      alert.summary ?? `${alert.alertname} ${alert.status}${feature ? ` for ${feature}` : ''}`,
      `Action: ${ALERT_ACTION_TEXT[alert.action] ?? alert.action}${alert.job_id ? ` (job ${alert.job_id})` : ''}`,
    ]),
    tags: [
      'alert',
      alert.status,
      ...(alert.severity ? [alert.severity] : []),
      ...(feature ? [feature] : []),
      alert.action,
    ],
  };
}

export function alertAnnotationFrame(alerts: AlertRecord[]): DataFrame {
  return annotationFrame('alerts', alerts.map(alertAnnotation));
}
