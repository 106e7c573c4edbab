import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import React from 'react';
import { FeatureRow, PsiPoint } from '../data/frames';
import { formatNumber } from '../data/format';
import { DriftMetric } from '../types';
import { SeverityBadge } from './SeverityBadge';
import { compactTable, visuallyHidden } from './styles';
import { Sparkline } from './Sparkline';

interface Props {
  features: FeatureRow[];
  psiTrends: Map<string, PsiPoint[]>;
  metrics: DriftMetric[];
  psiWarning: number;
  psiCritical: number;
  selected?: string;
  onAnalyze(feature: string): void;
}

const METRIC_COLUMNS: Array<{ metric: DriftMetric; title: string; value(row: FeatureRow): number | null }> = [
  { metric: 'psi', title: 'PSI', value: (row) => row.psi },
  { metric: 'ks', title: 'KS D', value: (row) => row.ks },
  { metric: 'kl', title: 'KL', value: (row) => row.kl },
  { metric: 'js', title: 'JS', value: (row) => row.js },
];

/** Features by impact (importance × PSI), with severity, the chosen drift measures and recent PSI. */
export function FeatureTable({ features, psiTrends, metrics, psiWarning, psiCritical, selected, onAnalyze }: Props) {
  const styles = useStyles2(getStyles);
  // KS needs raw rows, so the summary behind the feature table may not carry it: no empty column then.
  const columns = METRIC_COLUMNS.filter(
    (column) => metrics.includes(column.metric) && features.some((row) => column.value(row) !== null)
  );
  const withTrends = psiTrends.size > 0;
  return (
    <table className={styles.table} aria-label="Feature diagnostics">
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">Severity</th>
          <th scope="col" className={styles.number} title="importance × PSI">
            Impact
          </th>
          <th scope="col" className={styles.number}>
            Importance
          </th>
          {columns.map((column) => (
            <th key={column.metric} scope="col" className={styles.number}>
              {column.title}
            </th>
          ))}
          {withTrends && <th scope="col">PSI trend</th>}
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
            <th scope="row" className={styles.feature}>
              {row.feature}
              <span className={styles.kind}>{row.kind}</span>
            </th>
            <td>
              <SeverityBadge severity={row.severity} />
            </td>
            <td className={styles.number}>{formatNumber(row.impact)}</td>
            <td className={styles.number}>{formatNumber(row.importance, 2)}</td>
            {columns.map((column) => (
              <td key={column.metric} className={styles.number}>
                {formatNumber(column.value(row))}
              </td>
            ))}
            {withTrends && (
              <td>
                <Sparkline
                  feature={row.feature}
                  points={psiTrends.get(row.feature) ?? []}
                  psiWarning={psiWarning}
                  psiCritical={psiCritical}
                />
              </td>
            )}
            <td className={styles.action}>
              <Button
                size="sm"
                icon="search-plus"
                variant={row.feature === selected ? 'primary' : 'secondary'}
                aria-label={`Analyze ${row.feature}`}
                onClick={() => onAnalyze(row.feature)}
              >
                Analyze
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: compactTable(theme),
  number: css({ textAlign: 'right !important' as 'right', fontVariantNumeric: 'tabular-nums' }),
  feature: css({ fontWeight: theme.typography.fontWeightMedium }),
  kind: css({ marginLeft: theme.spacing(1), color: theme.colors.text.secondary, fontWeight: 'normal' }),
  selected: css({ background: theme.colors.action.selected }),
  action: css({ textAlign: 'right !important' as 'right' }),
  hidden: visuallyHidden,
});
