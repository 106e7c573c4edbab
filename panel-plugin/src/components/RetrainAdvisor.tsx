import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { TimeZone } from '@grafana/schema';
import { Alert, Button, useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { ModelSummaryView, RecommendationView } from '../data/frames';
import { formatDays, formatNumber, formatPercent, formatPoints, formatUnit } from '../data/format';
import { isActive } from '../data/retrainJobs';
import { RetrainState } from '../data/useRetrain';
import { JobList } from './JobList';
import { PanelMessage } from './PanelMessage';

interface Props {
  modelId?: string;
  summary?: ModelSummaryView;
  recommendation?: RecommendationView;
  retrain: RetrainState;
  canOperate: boolean;
  timeZone: TimeZone;
  /** A narrow column: the job list folds who asked into the time column. */
  compactJobs: boolean;
}

const RECOMMENDATION_TEXT: Record<string, string> = {
  retrain_now: 'Retrain now',
  schedule_retrain: 'Schedule retraining',
  monitor: 'Monitor',
  no_action: 'No action',
};

function recommendationColor(theme: GrafanaTheme2, recommendation: string): string {
  switch (recommendation) {
    case 'retrain_now':
      return theme.colors.error.text;
    case 'schedule_retrain':
      return theme.colors.warning.text;
    case 'no_action':
      return theme.colors.success.text;
    default:
      return theme.colors.text.primary;
  }
}

/** Why the schedule button is disabled, or undefined when it may be pressed. */
function scheduleBlocker({ modelId, retrain, canOperate }: Props): string | undefined {
  if (!canOperate) {
    return 'Viewers cannot schedule retraining: ask an Editor (scheduling goes through the data source’s operate route, which needs the Editor role).';
  }
  if (!modelId) {
    return 'No model: give the panel DriftGuard queries with a model ($model).';
  }
  if (retrain.lookup?.state === 'unavailable') {
    return retrain.lookup.reason;
  }
  if (!retrain.lookup) {
    return 'Looking up the data source…';
  }
  if (retrain.jobs?.some(isActive)) {
    return 'A retrain job is already active for this model: at most one runs at a time.';
  }
  return undefined;
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.figure}>
      <dt>{label}</dt>
      <dd>
        {value}
        {note && <span className={styles.note}>{note}</span>}
      </dd>
    </div>
  );
}

/**
 * Why there is no payback: drift-server gives none without business parameters (no money figures at
 * all) or when no recoverable loss is confirmed, which is not the same as retraining never paying.
 */
function paybackNote(recommendation: RecommendationView): string | undefined {
  if (recommendation.paybackDays !== null) {
    return undefined;
  }
  return recommendation.recoverableValue === null ? 'no business parameters' : 'nothing recoverable confirmed';
}

export function RetrainAdvisor(props: Props) {
  const { summary, recommendation, retrain, canOperate, timeZone } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const blocker = scheduleBlocker(props);
  const money = (value: number | null) => formatUnit(value, recommendation?.moneyUnit ?? 'none', 0);
  // A difference of two accuracies is in percentage points, as the reasons give it.
  const estimateError =
    summary?.estimatedAccuracy !== null && summary?.realizedAccuracy !== null && summary
      ? `estimate off by ${formatPoints(Math.abs(summary.estimatedAccuracy! - summary.realizedAccuracy!))}`
      : undefined;
  return (
    <div className={styles.advisor} role="region" aria-label="Retrain advisor">
      {recommendation ? (
        <div>
          <div className={styles.headline} style={{ color: recommendationColor(theme, recommendation.recommendation) }}>
            {RECOMMENDATION_TEXT[recommendation.recommendation] ?? recommendation.recommendation}
          </div>
          <ul className={styles.reasons} aria-label="Reasons">
            {recommendation.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : (
        <PanelMessage title="No recommendation">
          Give the panel a DriftGuard query of type Recommendation for $model; drift-server needs the model&apos;s
          business parameters (cost per error, retrain cost) to weigh retraining.
        </PanelMessage>
      )}
      <dl className={styles.figures}>
        {summary && <Figure label="Health score" value={formatNumber(summary.healthScore, 0)} note="of 100" />}
        {summary && (
          <Figure
            label="Estimated accuracy"
            value={formatPercent(summary.estimatedAccuracy)}
            note={`reference ${formatPercent(summary.referenceAccuracy)}`}
          />
        )}
        {summary && (
          <Figure
            label="Realized accuracy"
            value={formatPercent(summary.realizedAccuracy)}
            note={estimateError ?? 'needs labels'}
          />
        )}
        {recommendation && (
          <>
            <Figure label="Revenue at risk / day" value={money(recommendation.revenueAtRiskPerDay)} />
            <Figure label="Retrain cost" value={money(recommendation.retrainCost)} />
            <Figure label="Recoverable value" value={money(recommendation.recoverableValue)} note="over the horizon" />
            <Figure
              label="Payback"
              value={formatDays(recommendation.paybackDays)}
              note={paybackNote(recommendation)}
            />
          </>
        )}
      </dl>
      <div className={styles.actions}>
        <Button
          icon="sync"
          disabled={blocker !== undefined || retrain.busy}
          aria-describedby="driftguard-schedule-note"
          onClick={() =>
            retrain.schedule(
              `Scheduled from the DriftGuard panel (advice: ${RECOMMENDATION_TEXT[recommendation?.recommendation ?? ''] ?? 'none'})`
            )
          }
        >
          Schedule retraining
        </Button>
        <span id="driftguard-schedule-note" className={styles.note}>
          {blocker ?? (retrain.busy ? 'Working…' : 'Creates a retrain job on drift-server.')}
        </span>
      </div>
      {retrain.error && (
        <Alert title="drift-server refused the request" severity="error">
          {retrain.error}
        </Alert>
      )}
      {retrain.jobs ? (
        <JobList
          jobs={retrain.jobs}
          timeZone={timeZone}
          canCancel={canOperate && retrain.lookup?.state === 'ready'}
          busy={retrain.busy}
          compact={props.compactJobs}
          onCancel={retrain.cancel}
        />
      ) : (
        <p className={styles.note}>Add a DriftGuard query of type Retrain jobs for $model to list the jobs here.</p>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  advisor: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  headline: css({ fontSize: theme.typography.h3.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  reasons: css({ margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2.5) }),
  figures: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: theme.spacing(1),
    margin: 0,
  }),
  figure: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { margin: 0, fontSize: theme.typography.h5.fontSize, fontWeight: theme.typography.fontWeightMedium },
  }),
  note: css({
    display: 'block',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: 'normal',
  }),
  actions: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1.5), flexWrap: 'wrap' }),
});
