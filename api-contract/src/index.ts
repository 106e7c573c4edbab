export type * from './types';
export type {
  ReportFormat,
  ReportOptions,
  RetrainingMethods,
  ScheduleRetrainOptions,
  TimeWindow,
} from './data-source-methods';
export { RETRAINING_METHOD_NAMES } from './data-source-methods';
export {
  ACTIVE_RETRAIN_JOB_STATUSES,
  isActiveRetrainJobStatus,
  RETRAIN_JOB_STATUS_STYLE,
  RETRAIN_JOB_STATUSES,
} from './retrain-jobs';
export type { RetrainJobStatusStyle } from './retrain-jobs';
export { isDriftSeverity, SEVERITIES, SEVERITY_PALETTE } from './severity';
export type { SeverityStyle } from './severity';
