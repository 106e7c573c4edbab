import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { isDriftSeverity } from 'driftguard-api-contract';
import { FeatureRow, PsiPoint } from '../data/frames';
import { formatNumber } from '../data/format';
import { DriftMetric } from '../types';
import { TableDensity } from './layout';
import { SeverityBadge } from './SeverityBadge';
import { compactTable, severityColor, visuallyHidden } from './styles';
import { psiScaleLabel, sharedPsiScale, Sparkline } from './Sparkline';

interface Props {
  features: FeatureRow[];
  psiTrends: Map<string, PsiPoint[]>;
  metrics: DriftMetric[];
  psiWarning: number;
  psiCritical: number;
  density: TableDensity;
  sparklineWidth: number;
  selected?: string;
  onAnalyze(feature: string): void;
}

interface Column {
  key: string;
  title: string;
  value(row: FeatureRow): number | null;
  /** The narrowest table that still shows the column. */
  shownFrom: TableDensity;
}

const DENSITY_RANK: Record<TableDensity, number> = { narrow: 0, compact: 1, full: 2 };

const IMPORTANCE: Column = {
  key: 'importance',
  title: 'Importance',
  value: (row) => row.importance,
  shownFrom: 'full',
};
const METRIC_COLUMNS: Array<Column & { key: DriftMetric }> = [
  { key: 'psi', title: 'PSI', value: (row) => row.psi, shownFrom: 'narrow' },
  { key: 'ks', title: 'KS D', value: (row) => row.ks, shownFrom: 'full' },
  { key: 'kl', title: 'KL', value: (row) => row.kl, shownFrom: 'full' },
  { key: 'js', title: 'JS', value: (row) => row.js, shownFrom: 'full' },
];
const IMPACT_SHOWN_FROM: TableDensity = 'compact';

const fits = (column: { shownFrom: TableDensity }, density: TableDensity) =>
  DENSITY_RANK[density] >= DENSITY_RANK[column.shownFrom];

/**
 * Drifted features by impact (importance × PSI), the others by importance, with severity, the chosen
 * drift measures and recent PSI on one scale. A narrower panel drops the columns it has no room for
 * and says which.
 */
export function FeatureTable(props: Props) {
  const { features, psiTrends, metrics, psiWarning, psiCritical, density, sparklineWidth, selected, onAnalyze } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  // KS needs raw rows, so the summary behind the feature table may not carry it: no empty column then.
  const available = [
    IMPORTANCE,
    ...METRIC_COLUMNS.filter(
      (column) => metrics.includes(column.key) && features.some((row) => column.value(row) !== null)
    ),
  ];
  const columns = available.filter((column) => fits(column, density));
  const withImpact = fits({ shownFrom: IMPACT_SHOWN_FROM }, density);
  const hidden = [
    ...(withImpact ? [] : ['Impact']),
    ...available.filter((column) => !fits(column, density)).map((c) => c.title),
  ];
  const withTrends = psiTrends.size > 0;
  const scaleMax = sharedPsiScale(psiTrends.values(), psiCritical);
  const stacked = density !== 'full';
  return (
    <>
      <table className={cx(styles.table, stacked && styles.tight)} aria-label="Feature diagnostics">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Severity</th>
            {withImpact && (
              <th scope="col" className={styles.number} title="importance × PSI, for Warning and Critical features">
                Impact
              </th>
            )}
            {columns.map((column) => (
              <th key={column.key} scope="col" className={styles.number}>
                {column.title}
              </th>
            ))}
            {withTrends && (
              <th scope="col" title="Every row on the same PSI axis, from 0 to the value shown">
                PSI trend<span className={styles.scale}>{psiScaleLabel(scaleMax)}</span>
              </th>
            )}
            <th scope="col">
              <span className={styles.hidden}>Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {features.map((row) => (
            <tr
              key={row.feature}
              className={cx(row.feature === selected && styles.selected)}
              aria-current={row.feature === selected ? 'true' : undefined}
              data-feature={row.feature}
            >
              <th scope="row" className={cx(styles.feature, stacked && styles.wrapName)}>
                {row.feature}
                <span className={cx(styles.kind, stacked && styles.kindBelow)}>{row.kind}</span>
              </th>
              <td>
                <SeverityBadge severity={row.severity} />
              </td>
              {withImpact && (
                <td className={styles.number} data-column="impact">
                  {isDriftSeverity(row.severity) ? (
                    formatNumber(row.impact)
                  ) : (
                    <span title="Not drifted: impact is shown for Warning and Critical features">
                      <span className={styles.muted} aria-hidden>
                        –
                      </span>
                      <span className={styles.hidden}>not drifted</span>
                    </span>
                  )}
                </td>
              )}
              {columns.map((column) => (
                <td key={column.key} className={styles.number}>
                  {formatNumber(column.value(row), column === IMPORTANCE ? 2 : 3)}
                </td>
              ))}
              {withTrends && (
                <td>
                  <Sparkline
                    feature={row.feature}
                    points={psiTrends.get(row.feature) ?? []}
                    scaleMax={scaleMax}
                    psiWarning={psiWarning}
                    psiCritical={psiCritical}
                    color={isDriftSeverity(row.severity) ? severityColor(theme, row.severity) : theme.colors.text.secondary}
                    width={sparklineWidth}
                  />
                </td>
              )}
              <td className={styles.action}>
                <Button
                  size="sm"
                  icon="search-plus"
                  variant={row.feature === selected ? 'primary' : 'secondary'}
                  aria-label={`Analyze ${row.feature}`}
                  tooltip={density === 'narrow' ? `Analyze ${row.feature}` : undefined}
                  onClick={() => onAnalyze(row.feature)}
                >
                  {density === 'narrow' ? undefined : 'Analyze'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden.length > 0 && <p className={styles.note}>Not shown at this width: {hidden.join(', ')}.</p>}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: compactTable(theme),
  tight: css({ 'th, td': { padding: theme.spacing(0.5, 0.75) } }),
  number: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums' }),
  feature: css({ fontWeight: theme.typography.fontWeightMedium }),
  wrapName: css({ overflowWrap: 'anywhere' }),
  kind: css({ marginLeft: theme.spacing(1), color: theme.colors.text.secondary, fontWeight: 'normal' }),
  kindBelow: css({ display: 'block', marginLeft: 0 }),
  scale: css({ display: 'block', fontWeight: 'normal', fontVariantNumeric: 'tabular-nums' }),
  muted: css({ color: theme.colors.text.disabled }),
  selected: css({ background: theme.colors.action.selected }),
  action: css({ textAlign: 'right !important' as 'right' }),
  note: css({
    margin: theme.spacing(0.5, 0, 0),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  hidden: visuallyHidden,
});
