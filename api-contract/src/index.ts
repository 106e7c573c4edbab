export type * from './types';
export { ACTIVE_RETRAIN_JOB_STATUSES, isActiveRetrainJobStatus, RETRAIN_JOB_STATUSES } from './retrain-jobs';
export { isDriftSeverity, SEVERITIES, SEVERITY_PALETTE } from './severity';
export type { SeverityStyle } from './severity';
