import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { PsiPoint } from '../data/frames';
import { formatNumber } from '../data/format';
import { psiBand, severityColor } from './styles';

interface Props {
  feature: string;
  points: PsiPoint[];
  psiWarning: number;
  psiCritical: number;
  width?: number;
  height?: number;
}

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

/** Recent PSI of one feature, with the panel's warning and critical marks when they fall in range. */
export function Sparkline({ feature, points, psiWarning, psiCritical, width = 120, height = 24 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const values = points.flatMap((point) => (point.psi === null ? [] : [point.psi]));
  if (values.length === 0 || points.length < 2) {
    return <span className={styles.none}>no trend</span>;
  }
  const latest = values[values.length - 1];
  const top = Math.max(...values, psiWarning) * 1.1;
  const first = points[0].time;
  const span = Math.max(points[points.length - 1].time - first, 1);
  const x = (time: number) => ((time - first) / span) * (width - 2) + 1;
  const y = (psi: number) => height - 1 - (psi / top) * (height - 2);
  const marks = [psiWarning, psiCritical].filter((mark) => mark <= top);
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={`PSI trend of ${feature}, latest ${formatNumber(latest)}`}
      className={styles.svg}
    >
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
          stroke={theme.colors.text.primary}
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
