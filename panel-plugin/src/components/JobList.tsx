import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { TimeZone } from '@grafana/schema';
import { Button, useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { RETRAIN_JOB_STATUS_STYLE, RetrainJobStatus } from 'driftguard-api-contract';
import { isActive, RetrainJobView } from '../data/retrainJobs';
import { compactTable, visuallyHidden } from './styles';

interface Props {
  jobs: RetrainJobView[];
  timeZone: TimeZone;
  canCancel: boolean;
  busy: boolean;
  /** A narrow column: who asked goes under the time instead of a column of its own. */
  compact: boolean;
  onCancel(jobId: string): void;
}

/** The contract's status colour, as the data source's Status column shows it; any other text is secondary. */
function statusColor(theme: GrafanaTheme2, status: string): string {
  const style = RETRAIN_JOB_STATUS_STYLE[status as RetrainJobStatus];
  return style ? theme.visualization.getColorByName(style.color) : theme.colors.text.secondary;
}

export function JobList({ jobs, timeZone, canCancel, busy, compact, onCancel }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  if (jobs.length === 0) {
    return <p className={styles.none}>No retrain jobs in this time range.</p>;
  }
  const when = (ms: number | null) => (ms === null ? '—' : dateTimeFormat(ms, { timeZone }));
  return (
    <table className={styles.table} aria-label="Retrain jobs">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Scheduled for</th>
          {!compact && <th scope="col">By</th>}
          <th scope="col">Reason</th>
          <th scope="col">
            <span className={styles.hidden}>Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id}>
            <td style={{ color: statusColor(theme, job.status) }}>{job.status}</td>
            <td>
              {when(job.scheduledFor)}
              <span className={styles.sub}>
                {job.trigger}
                {compact && job.requestedBy && `, by ${job.requestedBy}`}
              </span>
            </td>
            {!compact && <td>{job.requestedBy || '—'}</td>}
            <td>
              {job.reason || '—'}
              {job.message && <span className={styles.sub}>{job.message}</span>}
            </td>
            <td>
              {isActive(job) && canCancel && (
                <Button size="sm" variant="secondary" fill="outline" disabled={busy} onClick={() => onCancel(job.id)}>
                  Cancel
                </Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: compactTable(theme),
  sub: css({ display: 'block', color: theme.colors.text.secondary }),
  none: css({ color: theme.colors.text.secondary, margin: 0 }),
  hidden: visuallyHidden,
});
