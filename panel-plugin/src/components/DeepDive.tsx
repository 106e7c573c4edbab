import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { FeatureDetailView, FeatureRow, HistogramBin, MISSING_BIN } from '../data/frames';
import { formatChange, formatMeasure, formatNumber, formatPercent } from '../data/format';
import { DriftPanelOptions } from '../types';
import { HistogramChart } from './HistogramChart';
import { MetricCards } from './MetricCards';
import { PanelMessage } from './PanelMessage';
import { SeverityBadge } from './SeverityBadge';

interface Props {
  feature?: string;
  row?: FeatureRow;
  detail?: FeatureDetailView;
  options: DriftPanelOptions;
  width: number;
}

const TOP_BINS = 3;

function topContributors(bins: HistogramBin[]): HistogramBin[] {
  return [...bins].sort((a, b) => b.psiContribution - a.psiContribution).slice(0, TOP_BINS);
}

function missingShares(bins: HistogramBin[]): { reference: number; production: number } {
  const bin = bins.find((candidate) => candidate.label === MISSING_BIN);
  return { reference: bin?.referenceShare ?? 0, production: bin?.productionShare ?? 0 };
}

export function DeepDive({ feature, row, detail, options, width }: Props) {
  const styles = useStyles2(getStyles);
  if (!feature) {
    return (
      <PanelMessage title="No feature chosen">
        Press Analyze on a feature in the table: it sets the dashboard variable ${options.featureVariable}, and the deep
        dive follows.
      </PanelMessage>
    );
  }
  if (!detail || detail.histogram.length === 0) {
    return (
      <PanelMessage title={`No deep-dive data for ${feature}`}>
        Give the panel a DriftGuard query of type Feature detail with feature ${options.featureVariable} (all sections),
        and check that {feature} has rows in the time range.
      </PanelMessage>
    );
  }
  const categorical = row?.kind === 'categorical' || 'chi2_statistic' in detail.metrics;
  const psiTotal = detail.metrics.psi ?? detail.histogram.reduce((sum, bin) => sum + bin.psiContribution, 0);
  const missing = missingShares(detail.histogram);
  return (
    <div className={styles.deepDive} aria-label={`Deep dive: ${feature}`} role="region">
      <h4 className={styles.heading}>
        {feature}
        <span className={styles.kind}>{categorical ? 'categorical' : 'numeric'}</span>
        {row && <SeverityBadge severity={row.severity} />}
      </h4>
      <HistogramChart feature={feature} bins={detail.histogram} categorical={categorical} width={width} />
      <MetricCards
        metrics={detail.metrics}
        shown={options.metrics}
        psiWarning={options.psiWarning}
        psiCritical={options.psiCritical}
        categorical={categorical}
        width={width}
      />
      <div className={styles.columns}>
        <section aria-label="Bins that contribute most to PSI">
          <h5 className={styles.subheading}>Largest PSI contributions</h5>
          <ol className={styles.bins}>
            {topContributors(detail.histogram).map((bin) => (
              <li key={bin.label}>
                <strong>{bin.label}</strong>: {formatPercent(bin.referenceShare)} → {formatPercent(bin.productionShare)}
                , {formatNumber(bin.psiContribution, 4)}
                {psiTotal > 0 && ` (${formatPercent(bin.psiContribution / psiTotal, 0)} of PSI)`}
              </li>
            ))}
          </ol>
          <p className={styles.missing}>
            Missing values: {formatPercent(missing.reference)} in reference → {formatPercent(missing.production)} in
            production
          </p>
        </section>
        {detail.statistics.length > 0 && (
          <table className={styles.stats} aria-label={`Statistics of ${feature}`}>
            <thead>
              <tr>
                <th scope="col">Statistic</th>
                <th scope="col">Reference</th>
                <th scope="col">Production</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {detail.statistics.map((stat) => (
                <tr key={stat.statistic}>
                  <th scope="row">{stat.statistic}</th>
                  <td>{formatMeasure(stat.reference, 2)}</td>
                  <td>{formatMeasure(stat.production, 2)}</td>
                  <td>{formatChange(stat.reference, stat.production, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {detail.coverageNote && (
        <p className={styles.coverage} role="note">
          {detail.coverageNote}
        </p>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  deepDive: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  heading: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), margin: 0 }),
  subheading: css({ margin: theme.spacing(0, 0, 0.5), color: theme.colors.text.secondary }),
  kind: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: 'normal',
  }),
  columns: css({
    display: 'grid',
    // The statistics table needs about 300 px for its four columns; narrower, it wraps below.
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 300px), 1fr))',
    gap: theme.spacing(2),
    alignItems: 'start',
  }),
  bins: css({ margin: 0, paddingLeft: theme.spacing(2.5), fontSize: theme.typography.bodySmall.fontSize }),
  missing: css({ margin: theme.spacing(1, 0, 0), fontSize: theme.typography.bodySmall.fontSize }),
  coverage: css({ margin: 0, color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
  stats: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    fontVariantNumeric: 'tabular-nums',
    'th, td': {
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'right',
    },
    'th[scope=row], thead th:first-child': { textAlign: 'left' },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
