import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { nice, ticks } from 'd3-array';
import React from 'react';
import { HistogramBin, MISSING_BIN } from '../data/frames';
import { formatPercent } from '../data/format';
import { sideColors } from './styles';

interface Props {
  feature: string;
  bins: HistogramBin[];
  categorical: boolean;
  width: number;
}

const HEIGHT = 200;
const Y_AXIS_WIDTH = 40;
const X_AXIS_HEIGHT = 22;
const PLOT_TOP = 8;
/** The missing-value bar stands apart from the value bins, this many bin widths to their right. */
const MISSING_GAP = 0.5;
/** Space kept free between two axis labels, in pixels. */
const LABEL_GAP = 8;
const BAR_ROW = 22;

/** Grafana's small type (bodySmall, given in rem) in pixels. */
function smallFontPx(theme: GrafanaTheme2): number {
  return parseFloat(theme.typography.bodySmall.fontSize) * (theme.typography.htmlFontSize ?? 14);
}

/** Inter's digits and lower-case letters average under this width, in em. */
const CHAR_WIDTH = 0.6;

function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/** A label of at most `width` pixels, cut with an ellipsis. */
function fitText(text: string, width: number, fontSize: number): string {
  const chars = Math.floor(width / (fontSize * CHAR_WIDTH));
  return text.length <= chars ? text : `${text.slice(0, Math.max(chars - 1, 1))}…`;
}

/**
 * The cut points between numeric bins, read from drift-server's labels (src/stats/binning.ts):
 * "< c1", "[c1, c2)", …, "≥ cn" for quantile bins, and for reference versions with tail bins
 * "< min", "[min, c2)", …, "[ck, max]", "> max", whose last bin starts just above the maximum.
 * Bin k > 0 starts at its lower bound. Undefined when a label does not read that way (categories,
 * one bin per value): the bins are then labelled by name.
 */
export function cutPoints(labels: string[]): number[] | undefined {
  const cuts = labels.slice(1).map((label) => {
    const lower = /^\[([^,]+),/.exec(label)?.[1] ?? /^[≥>] (.+)$/.exec(label)?.[1];
    return lower === undefined ? NaN : Number(lower);
  });
  return labels.length > 1 && /^< /.test(labels[0]) && cuts.every(Number.isFinite) ? cuts : undefined;
}

/** A cut point may be rounded by at most this share of the distance to its nearest neighbour. */
const CUT_ROUNDING = 0.1;

const compact = (digits: number) =>
  new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: digits });

/**
 * Cut points with as few significant digits as keep each within a tenth of the gap to its
 * neighbours (29K, 36K; 41K, 41.4K, 42K; 0.12, 0.18): short labels that still place the edges right.
 * drift-server writes them with six.
 */
export function formatCuts(cuts: number[]): string[] {
  const gaps = cuts.map((cut, index) =>
    Math.min(index > 0 ? cut - cuts[index - 1] : Infinity, index < cuts.length - 1 ? cuts[index + 1] - cut : Infinity)
  );
  let digits = 2;
  while (
    digits < 6 &&
    cuts.some((cut, index) => Math.abs(Number(cut.toPrecision(digits)) - cut) > CUT_ROUNDING * gaps[index])
  ) {
    digits += 1;
  }
  const format = compact(digits);
  return cuts.map((cut) => format.format(cut));
}

interface AxisLabel {
  x: number;
  text: string;
  /** Always shown (the missing bar's label): neighbours give way to it. */
  fixed?: boolean;
}

/**
 * The labels that fit without overlapping: every one when there is room, else every second, third…
 * so the subset stays evenly spaced; a fixed label is kept and its overlapping neighbours dropped.
 */
export function readableLabels(labels: AxisLabel[], fontSize: number): AxisLabel[] {
  const overlaps = (a: AxisLabel, b: AxisLabel) =>
    Math.abs(a.x - b.x) < (textWidth(a.text, fontSize) + textWidth(b.text, fontSize)) / 2 + LABEL_GAP;
  const fixed = labels.filter((label) => label.fixed);
  const free = labels.filter((label) => !label.fixed);
  for (let every = 1; every <= free.length; every += 1) {
    const kept = free.filter((_, index) => index % every === 0);
    if (kept.every((label, index) => index === 0 || !overlaps(kept[index - 1], label))) {
      return [...kept.filter((label) => !fixed.some((other) => overlaps(label, other))), ...fixed];
    }
  }
  return fixed;
}

/** Nice percentage ticks from 0 to at least the largest share, and the decimals their step needs. */
function shareTicks(largest: number): { top: number; values: number[]; decimals: number } {
  const top = nice(0, Math.max(largest, 0.01), 4)[1];
  const values = ticks(0, top, 4);
  const step = values.length > 1 ? values[1] - values[0] : top;
  return { top, values, decimals: Math.max(0, Math.ceil(-Math.log10(step * 100) - 1e-9)) };
}

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

/**
 * Numeric bins: reference and production shares overlaid on the same bin, left to right, on a share
 * axis; the x axis labels the cut points between bins (each bin's exact range is its tooltip), and
 * the missing-value bar stands apart at the right.
 */
function NumericOverlay({ feature, bins, width }: Props) {
  const theme = useTheme2();
  const colors = sideColors(theme);
  const fontSize = smallFontPx(theme);
  const values = bins.filter((bin) => bin.label !== MISSING_BIN);
  const missing = bins.find((bin) => bin.label === MISSING_BIN);
  const plotWidth = Math.max(width - Y_AXIS_WIDTH - 4, 40);
  const plotBottom = HEIGHT - X_AXIS_HEIGHT;
  const plotHeight = plotBottom - PLOT_TOP;
  const slots = values.length + (missing ? 1 + MISSING_GAP : 0);
  const step = plotWidth / Math.max(slots, 1);
  const left = (slot: number) => Y_AXIS_WIDTH + slot * step;
  const y = shareTicks(Math.max(...bins.flatMap((bin) => [bin.referenceShare, bin.productionShare])));
  const barHeight = (share: number) => (share / y.top) * plotHeight;

  const cuts = cutPoints(values.map((bin) => bin.label));
  const candidates: AxisLabel[] = cuts
    ? formatCuts(cuts).map((text, index) => ({ x: left(index + 1), text }))
    : values.map((bin, index) => ({ x: left(index + 0.5), text: bin.label }));
  if (missing) {
    candidates.push({ x: left(values.length + MISSING_GAP + 0.5), text: MISSING_BIN, fixed: true });
  }
  const xLabels = readableLabels(candidates, fontSize);
  const clampX = (label: AxisLabel) => {
    const half = textWidth(label.text, fontSize) / 2;
    return Math.min(Math.max(label.x, half), width - half);
  };

  const bar = (bin: HistogramBin, slot: number) => (
    <g key={bin.label}>
      <title>{`${bin.label}: reference ${formatPercent(bin.referenceShare)}, production ${formatPercent(bin.productionShare)}`}</title>
      <rect
        x={left(slot) + 1}
        y={plotBottom - barHeight(bin.referenceShare)}
        width={Math.max(step - 2, 1)}
        height={barHeight(bin.referenceShare)}
        fill={colors.reference}
        fillOpacity={0.45}
        stroke={colors.reference}
      />
      <rect
        x={left(slot) + step * 0.2}
        y={plotBottom - barHeight(bin.productionShare)}
        width={Math.max(step * 0.6, 1)}
        height={barHeight(bin.productionShare)}
        fill={colors.production}
        fillOpacity={0.75}
      />
    </g>
  );

  return (
    <svg width={width} height={HEIGHT} role="img" aria-label={`Histogram of ${feature}: reference vs production`}>
      <g data-axis="y" aria-label="Share of rows">
        {y.values.map((tick) => (
          <g key={tick}>
            <line
              x1={Y_AXIS_WIDTH}
              x2={Y_AXIS_WIDTH + plotWidth}
              y1={plotBottom - barHeight(tick)}
              y2={plotBottom - barHeight(tick)}
              stroke={theme.colors.border.weak}
            />
            <text
              x={Y_AXIS_WIDTH - 6}
              y={plotBottom - barHeight(tick)}
              textAnchor="end"
              dominantBaseline="middle"
              fontSize={theme.typography.bodySmall.fontSize}
              fill={theme.colors.text.secondary}
            >
              {formatPercent(tick, y.decimals)}
            </text>
          </g>
        ))}
      </g>
      {values.map((bin, index) => bar(bin, index))}
      {missing && bar(missing, values.length + MISSING_GAP)}
      <line
        x1={Y_AXIS_WIDTH}
        x2={Y_AXIS_WIDTH + plotWidth}
        y1={plotBottom}
        y2={plotBottom}
        stroke={theme.colors.border.medium}
      />
      <g data-axis="x">
        {xLabels.map((label) => (
          <text
            key={label.text}
            x={clampX(label)}
            y={HEIGHT - 6}
            textAnchor="middle"
            fontSize={theme.typography.bodySmall.fontSize}
            fill={theme.colors.text.secondary}
          >
            {label.text}
          </text>
        ))}
      </g>
    </svg>
  );
}

/** Categories: one row each, reference and production bars one above the other, shares at the right. */
function CategoryBars({ feature, bins, width }: Props) {
  const theme = useTheme2();
  const colors = sideColors(theme);
  const fontSize = smallFontPx(theme);
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
            <title>{`${bin.label}: reference ${formatPercent(bin.referenceShare)}, production ${formatPercent(bin.productionShare)}`}</title>
            <text
              x={0}
              y={y + BAR_ROW * 0.75}
              fontSize={theme.typography.bodySmall.fontSize}
              fill={theme.colors.text.primary}
            >
              {fitText(bin.label, labelWidth - LABEL_GAP, fontSize)}
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
