import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { HistogramBin } from '../data/frames';
import { formatPercent } from '../data/format';
import { sideColors } from './styles';

interface Props {
  feature: string;
  bins: HistogramBin[];
  categorical: boolean;
  width: number;
}

const AXIS = 28;
/** Room for one bin label under the histogram, in pixels. */
const LABEL_SPACE = 150;
const BAR_ROW = 22;

function Legend() {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const colors = sideColors(theme);
  return (
    <div className={styles.legend}>
      <span>
        <span className={styles.swatch} style={{ background: colors.reference }} aria-hidden />
        Reference
      </span>
      <span>
        <span className={styles.swatch} style={{ background: colors.production }} aria-hidden />
        Production
      </span>
    </div>
  );
}

/** Numeric bins: reference and production shares overlaid on the same bin, left to right. */
function NumericOverlay({ feature, bins, width }: Props) {
  const theme = useTheme2();
  const colors = sideColors(theme);
  const height = 180;
  const plotHeight = height - AXIS;
  const top = Math.max(...bins.flatMap((bin) => [bin.referenceShare, bin.productionShare]), 0.01);
  const step = width / bins.length;
  const barHeight = (share: number) => (share / top) * (plotHeight - 8);
  const labelEvery = Math.ceil((bins.length * LABEL_SPACE) / width);
  const labelChars = Math.floor((labelEvery * step) / 7);
  return (
    <svg width={width} height={height} role="img" aria-label={`Histogram of ${feature}: reference vs production`}>
      {bins.map((bin, index) => (
        <g key={bin.label}>
          <title>{`${bin.label}: reference ${formatPercent(bin.referenceShare)}, production ${formatPercent(bin.productionShare)}`}</title>
          <rect
            x={index * step + 1}
            y={plotHeight - barHeight(bin.referenceShare)}
            width={Math.max(step - 2, 1)}
            height={barHeight(bin.referenceShare)}
            fill={colors.reference}
            fillOpacity={0.45}
            stroke={colors.reference}
          />
          <rect
            x={index * step + step * 0.2}
            y={plotHeight - barHeight(bin.productionShare)}
            width={Math.max(step * 0.6, 1)}
            height={barHeight(bin.productionShare)}
            fill={colors.production}
            fillOpacity={0.75}
          />
          {index % labelEvery === 0 && (
            <text
              x={index * step + 2}
              y={height - 8}
              fontSize={theme.typography.bodySmall.fontSize}
              fill={theme.colors.text.secondary}
            >
              {bin.label.length > labelChars ? `${bin.label.slice(0, labelChars - 1)}…` : bin.label}
            </text>
          )}
        </g>
      ))}
      <line x1={0} x2={width} y1={plotHeight} y2={plotHeight} stroke={theme.colors.border.medium} />
    </svg>
  );
}

/** Categories: one row each, reference and production bars one above the other. */
function CategoryBars({ feature, bins, width }: Props) {
  const theme = useTheme2();
  const colors = sideColors(theme);
  const labelWidth = Math.min(120, width / 3);
  const valueWidth = 96;
  const barSpace = Math.max(width - labelWidth - valueWidth, 20);
  const top = Math.max(...bins.flatMap((bin) => [bin.referenceShare, bin.productionShare]), 0.01);
  const height = bins.length * BAR_ROW * 1.5;
  return (
    <svg width={width} height={height} role="img" aria-label={`Categories of ${feature}: reference vs production`}>
      {bins.map((bin, index) => {
        const y = index * BAR_ROW * 1.5;
        return (
          <g key={bin.label}>
            <text
              x={0}
              y={y + BAR_ROW * 0.75}
              fontSize={theme.typography.bodySmall.fontSize}
              fill={theme.colors.text.primary}
            >
              {bin.label}
            </text>
            <rect
              x={labelWidth}
              y={y + 2}
              width={(bin.referenceShare / top) * barSpace}
              height={BAR_ROW / 2 - 2}
              fill={colors.reference}
            />
            <rect
              x={labelWidth}
              y={y + BAR_ROW / 2 + 1}
              width={(bin.productionShare / top) * barSpace}
              height={BAR_ROW / 2 - 2}
              fill={colors.production}
            />
            <text
              x={width}
              y={y + BAR_ROW * 0.75}
              textAnchor="end"
              fontSize={theme.typography.bodySmall.fontSize}
              fill={theme.colors.text.secondary}
            >
              {`${formatPercent(bin.referenceShare, 0)} → ${formatPercent(bin.productionShare, 0)}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function HistogramChart(props: Props) {
  return (
    <div>
      <Legend />
      {props.categorical ? <CategoryBars {...props} /> : <NumericOverlay {...props} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    marginBottom: theme.spacing(0.5),
  }),
  swatch: css({
    display: 'inline-block',
    width: 10,
    height: 10,
    marginRight: theme.spacing(0.5),
    borderRadius: theme.shape.radius.default,
  }),
});
