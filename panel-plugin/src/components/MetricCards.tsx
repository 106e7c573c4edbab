import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { formatNumber, formatPValue } from '../data/format';
import { DriftMetric } from '../types';
import { SEVERITY_PALETTE } from 'driftguard-api-contract';
import { psiBand, severityColor } from './styles';

interface Props {
  metrics: Record<string, number | null>;
  shown: DriftMetric[];
  psiWarning: number;
  psiCritical: number;
  categorical: boolean;
  /** The width the cards share, in pixels. */
  width: number;
}

interface Card {
  metric: DriftMetric;
  title: string;
  value: string;
  note: string;
  color?: string;
}

/** Why a PSI above the threshold may still not be drift: the noise level at these sample sizes. */
function psiNote(psi: number | null, noise: number | null, warning: number, critical: number): string {
  const marks = `warning ≥ ${warning}, critical ≥ ${critical}`;
  if (psi === null || noise === null) {
    return `${marks}. Not enough rows to measure.`;
  }
  const sample =
    psi <= noise
      ? `Below the noise level ${formatNumber(noise)} for these sample sizes: not called drift.`
      : `Above the noise level ${formatNumber(noise)} for these sample sizes.`;
  return `${marks}. ${sample}`;
}

function cards(props: Props, theme: GrafanaTheme2): Card[] {
  const { metrics, psiWarning, psiCritical, categorical } = props;
  const psi = metrics.psi ?? null;
  const band = psiBand(psi, psiWarning, psiCritical);
  const test: Card = categorical
    ? {
        metric: 'ks',
        title: 'Chi-square',
        value: formatNumber(metrics.chi2_statistic, 2),
        note: `dof ${formatNumber(metrics.chi2_dof, 0)}, p ${formatPValue(metrics.chi2_pvalue)}. At large samples p shrinks for trivial shifts: read it beside PSI.`,
      }
    : {
        metric: 'ks',
        title: 'KS',
        value: `D ${formatNumber(metrics.ks_statistic)}`,
        note: `p ${formatPValue(metrics.ks_pvalue)}. At large samples p shrinks for trivial shifts: read it beside PSI.`,
      };
  return [
    {
      metric: 'psi',
      title: 'PSI',
      value: formatNumber(psi),
      note: `${SEVERITY_PALETTE[band].label} by the panel's marks (${psiNote(psi, metrics.psi_critical ?? null, psiWarning, psiCritical)})`,
      color: severityColor(theme, band),
    },
    test,
    {
      metric: 'kl',
      title: 'KL divergence',
      value: formatNumber(metrics.kl),
      note: 'Production against reference, in nats.',
    },
    { metric: 'js', title: 'JS distance', value: formatNumber(metrics.js), note: 'Base 2: 0 identical, 1 disjoint.' },
  ];
}

const MIN_CARD_WIDTH = 150;

/** All cards in one row when they fit, else rows of equal length (2 × 2, not 3 + 1), else one per row. */
function cardColumns(count: number, width: number, gap: number): number {
  const fitting = Math.floor((width + gap) / (MIN_CARD_WIDTH + gap));
  const half = Math.ceil(count / 2);
  return fitting >= count ? count : fitting >= half ? half : 1;
}

export function MetricCards(props: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const shown = cards(props, theme).filter((card) => props.shown.includes(card.metric));
  const columns = cardColumns(shown.length, props.width, theme.spacing.gridSize);
  return (
    <ul
      className={styles.cards}
      aria-label="Drift measures"
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
    >
      {shown.map((card) => (
        <li key={card.title} className={styles.card}>
          <div className={styles.title}>{card.title}</div>
          <div className={styles.value} style={card.color ? { color: card.color } : undefined}>
            {card.value}
          </div>
          <div className={styles.note}>{card.note}</div>
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cards: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gap: theme.spacing(1),
  }),
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1),
  }),
  title: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  value: css({ fontSize: theme.typography.h4.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  note: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
