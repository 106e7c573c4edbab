import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { nice } from 'd3-array';
import React from 'react';
import { PsiPoint } from '../data/frames';
import { formatNumber } from '../data/format';
import { psiBand, severityColor } from './styles';

interface Props {
  feature: string;
  points: PsiPoint[];
  /** The top of the PSI axis, the same for every row of the table (sharedPsiScale). */
  scaleMax: number;
  psiWarning: number;
  psiCritical: number;
  color: string;
  width: number;
  height?: number;
}

/** A mark closer than this to the baseline would lie on the line of an undrifted feature: it is left out. */
const MIN_MARK_HEIGHT = 3;

/**
 * One PSI axis for every sparkline of the table, from 0 to a round number above the largest PSI any
 * feature reached (at least the critical mark): a critical feature's line stands high and an OK one
 * stays flat, instead of each line filling its own box.
 */
export function sharedPsiScale(trends: Iterable<PsiPoint[]>, psiCritical: number): number {
  let largest = psiCritical;
  for (const points of trends) {
    for (const point of points) {
      largest = Math.max(largest, point.psi ?? 0);
    }
  }
  return nice(0, largest > 0 ? largest : 1, 4)[1];
}

/** The shared scale as the table's header states it, e.g. "0–3" or "0–0.2" (a nice number needs no padding). */
export const psiScaleLabel = (scaleMax: number) => `0–${Number(scaleMax.toPrecision(3))}`;

/** Runs of consecutive non-null points: intervals without enough rows are gaps, not zeros. */
function segments(points: PsiPoint[]): PsiPoint[][] {
  const runs: PsiPoint[][] = [];
  let current: PsiPoint[] = [];
  for (const point of points) {
    if (point.psi === null) {
      current = [];
      continue;
    }
    if (current.length === 0) {
      runs.push(current);
    }
    current.push(point);
  }
  return runs;
}

/** Recent PSI of one feature on the table's shared scale, with the panel's warning and critical marks. */
export function Sparkline({ feature, points, scaleMax, psiWarning, psiCritical, color, width, height = 24 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const values = points.flatMap((point) => (point.psi === null ? [] : [point.psi]));
  if (values.length === 0 || points.length < 2) {
    return <span className={styles.none}>no trend</span>;
  }
  const latest = values[values.length - 1];
  const first = points[0].time;
  const span = Math.max(points[points.length - 1].time - first, 1);
  const baseline = height - 1;
  const x = (time: number) => ((time - first) / span) * (width - 2) + 1;
  const y = (psi: number) => baseline - (Math.min(psi, scaleMax) / scaleMax) * (height - 2);
  const marks = [psiWarning, psiCritical].filter((mark) => mark <= scaleMax && baseline - y(mark) >= MIN_MARK_HEIGHT);
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={`PSI trend of ${feature}, latest ${formatNumber(latest)}, shared scale ${psiScaleLabel(scaleMax)}`}
      className={styles.svg}
      data-scale-max={scaleMax}
    >
      <line x1={0} x2={width} y1={baseline} y2={baseline} stroke={theme.colors.border.weak} strokeWidth={1} />
      {marks.map((mark) => (
        <line
          key={mark}
          x1={0}
          x2={width}
          y1={y(mark)}
          y2={y(mark)}
          stroke={severityColor(theme, psiBand(mark, psiWarning, psiCritical))}
          strokeDasharray="2 2"
          strokeWidth={1}
        />
      ))}
      {segments(points).map((run) => (
        <polyline
          key={run[0].time}
          fill="none"
          stroke={color}
          strokeWidth={1.5}
          points={run.map((point) => `${x(point.time)},${y(point.psi!)}`).join(' ')}
        />
      ))}
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ display: 'block' }),
  none: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
