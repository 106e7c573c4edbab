import { createDataFrame, DataFrame, FieldConfig, FieldType, MappingType } from '@grafana/data';
import { RetrainJob, RetrainJobStatus, RetrainTrigger } from 'driftguard-api-contract';

const STATUS_DISPLAY: Record<RetrainJobStatus, { text: string; color: string; index: number }> = {
  scheduled: { text: 'Scheduled', color: 'blue', index: 0 },
  dispatched: { text: 'Dispatched', color: 'purple', index: 1 },
  running: { text: 'Running', color: 'orange', index: 2 },
  succeeded: { text: 'Succeeded', color: 'green', index: 3 },
  failed: { text: 'Failed', color: 'red', index: 4 },
  cancelled: { text: 'Cancelled', color: 'text', index: 5 },
};

const TRIGGER_TEXT: Record<RetrainTrigger, string> = { manual: 'Manual', alert: 'Alert' };

export function statusText(status: RetrainJobStatus): string {
  return STATUS_DISPLAY[status]?.text ?? status;
}

const STATUS_CONFIG: FieldConfig = {
  displayNameFromDS: 'Status',
  mappings: [{ type: MappingType.ValueToText, options: STATUS_DISPLAY }],
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
