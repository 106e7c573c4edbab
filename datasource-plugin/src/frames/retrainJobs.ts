import { createDataFrame, DataFrame, FieldConfig, FieldType, MappingType } from '@grafana/data';
import { RETRAIN_JOB_STATUS_STYLE, RetrainJob, RetrainJobStatus, RetrainTrigger } from 'driftguard-api-contract';
import { paletteMapping } from './palette';

const TRIGGER_TEXT: Record<RetrainTrigger, string> = { manual: 'Manual', alert: 'Alert' };

export function statusText(status: RetrainJobStatus): string {
  return RETRAIN_JOB_STATUS_STYLE[status]?.label ?? status;
}

const STATUS_CONFIG: FieldConfig = {
  displayNameFromDS: 'Status',
  mappings: [paletteMapping(RETRAIN_JOB_STATUS_STYLE)],
  custom: { cellOptions: { type: 'color-text' } },
};

const TRIGGER_CONFIG: FieldConfig = {
  displayNameFromDS: 'Trigger',
  mappings: [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(Object.entries(TRIGGER_TEXT).map(([value, text], index) => [value, { text, index }])),
    },
  ],
};

const timeOrNull = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** One row per job, drift-server's order (newest first), for a Table panel and the DriftGuard panel's job list. */
export function retrainJobsFrame(model: string, jobs: RetrainJob[]): DataFrame {
  const text = (name: string, displayName: string, value: (job: RetrainJob) => string | null) => ({
    name,
    type: FieldType.string,
    values: jobs.map(value),
    config: { displayNameFromDS: displayName },
  });
  const time = (name: string, displayName: string, value: (job: RetrainJob) => string | null) => ({
    name,
    type: FieldType.time,
    values: jobs.map((job) => timeOrNull(value(job))),
    config: { displayNameFromDS: displayName },
  });
  const count = (name: string, displayName: string, value: (job: RetrainJob) => number | null) => ({
    name,
    type: FieldType.number,
    values: jobs.map(value),
    config: { displayNameFromDS: displayName, unit: 'none', decimals: 0 },
  });
  return createDataFrame({
    name: `${model} retrain jobs`,
    fields: [
      { name: 'status', type: FieldType.string, values: jobs.map((job) => job.status), config: STATUS_CONFIG },
      { name: 'trigger', type: FieldType.string, values: jobs.map((job) => job.trigger), config: TRIGGER_CONFIG },
      text('reason', 'Reason', (job) => job.reason),
      text('requested_by', 'Requested by', (job) => job.requested_by),
      time('scheduled_for', 'Scheduled for', (job) => job.scheduled_for),
      time('started_at', 'Started', (job) => job.started_at),
      time('finished_at', 'Finished', (job) => job.finished_at),
      count('attempts', 'Attempts', (job) => job.attempts),
      count('new_reference_version', 'New reference version', (job) => job.new_reference_version),
      text('message', 'Message', (job) => job.message),
      // Last: what the DriftGuard panel needs to cancel a job.
      text('id', 'Job id', (job) => job.id),
    ],
  });
}
