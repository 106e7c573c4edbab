import type { BinShare } from '../stats';
import { printable } from './pdf-fonts';

const CHART_COLOURS = {
  reference: '#8c9fb5',
  production: '#e07b39',
  axis: '#555555',
  grid: '#dddddd',
  text: '#222222',
  series: ['#1f5fa8', '#c62828', '#2e7d32', '#7b3fa0', '#a66a00'],
} as const;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

const LABEL_WIDTH = 150;
const VALUE_WIDTH = 58;
const ROW_HEIGHT = 13;
const BAR_HEIGHT = 5;
const LEGEND_HEIGHT = 14;
/** Categorical features may have hundreds of categories; the chart keeps those that moved PSI most. */
export const MAX_HISTOGRAM_BINS = 24;

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/** The bins to draw, in bin order: all of them, or the MAX_HISTOGRAM_BINS largest PSI contributions. */
function chartedBins(bins: readonly BinShare[]): BinShare[] {
  if (bins.length <= MAX_HISTOGRAM_BINS) return [...bins];
  const kept = new Set([...bins].sort((a, b) => b.psi_contribution - a.psi_contribution).slice(0, MAX_HISTOGRAM_BINS));
  return bins.filter((bin) => kept.has(bin));
}

export function histogramHeight(bins: readonly BinShare[]): number {
  return LEGEND_HEIGHT + chartedBins(bins).length * ROW_HEIGHT;
}

const LEGEND_NAME_LENGTH = 40;

/** Colour keys in rows across `width`; returns the height used. */
function legend(doc: PDFKit.PDFDocument, box: Box, entries: readonly [string, string][]): number {
  let at = box.x;
  let y = box.y;
  doc.font('regular').fontSize(7);
  for (const [name, colour] of entries) {
    const text = printable(name.length > LEGEND_NAME_LENGTH ? `${name.slice(0, LEGEND_NAME_LENGTH - 1)}…` : name);
    const width = 16 + doc.widthOfString(text);
    if (at > box.x && at + width > box.x + box.width) {
      at = box.x;
      y += LEGEND_HEIGHT - 4;
    }
    doc.rect(at, y + 1, 8, 6).fill(colour);
    doc.fillColor(CHART_COLOURS.text).text(text, at + 11, y, { lineBreak: false });
    at += width;
  }
  return y - box.y + LEGEND_HEIGHT;
}

/**
 * Reference and production shares per bin as paired horizontal bars, one row per bin (labels such
 * as "[41 250.5, 52 000)" read better beside a bar than under one).
 */
export function drawHistogram(doc: PDFKit.PDFDocument, box: Box, bins: readonly BinShare[]): void {
  const shown = chartedBins(bins);
  legend(doc, { x: box.x + LABEL_WIDTH, y: box.y, width: box.width - LABEL_WIDTH }, [
    ['reference', CHART_COLOURS.reference],
    ['production', CHART_COLOURS.production],
  ]);
  const barX = box.x + LABEL_WIDTH + 4;
  const barWidth = box.width - LABEL_WIDTH - 4 - VALUE_WIDTH;
  const largest = Math.max(...shown.flatMap((bin) => [bin.reference_share, bin.production_share]), 1e-9);
  shown.forEach((bin, row) => {
    const y = box.y + LEGEND_HEIGHT + row * ROW_HEIGHT;
    doc.font('regular').fontSize(7).fillColor(CHART_COLOURS.text);
    doc.text(printable(bin.label), box.x, y + 2, {
      width: LABEL_WIDTH - 4,
      align: 'right',
      lineBreak: false,
      ellipsis: true,
      height: 9,
    });
    doc
      .rect(barX, y + 1.5, Math.max(0.5, (bin.reference_share / largest) * barWidth), BAR_HEIGHT)
      .fill(CHART_COLOURS.reference);
    doc
      .rect(barX, y + 1.5 + BAR_HEIGHT, Math.max(0.5, (bin.production_share / largest) * barWidth), BAR_HEIGHT)
      .fill(CHART_COLOURS.production);
    doc.fontSize(6).fillColor(CHART_COLOURS.text);
    doc.text(`${percent(bin.reference_share)} / ${percent(bin.production_share)}`, barX + barWidth + 2, y + 2.5, {
      width: VALUE_WIDTH,
      lineBreak: false,
    });
  });
  doc
    .moveTo(barX, box.y + LEGEND_HEIGHT)
    .lineTo(barX, box.y + LEGEND_HEIGHT + shown.length * ROW_HEIGHT)
    .lineWidth(0.5)
    .strokeColor(CHART_COLOURS.axis)
    .stroke();
}

export interface LineSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface GuideLine {
  readonly value: number;
  readonly label: string;
  readonly colour: string;
}

export interface LineChart {
  /** ISO times of the points (x axis). */
  readonly times: readonly string[];
  readonly series: readonly LineSeries[];
  readonly guides?: readonly GuideLine[];
  /** Fixed y range (linear scale); otherwise from 0 to a round number above the largest value or guide. */
  readonly yRange?: readonly [number, number];
  /**
   * log: powers of ten from LOG_FLOOR up, so a small threshold stays readable beside a large
   * value; values below the floor are drawn on it.
   */
  readonly scale?: 'linear' | 'log';
  readonly formatY: (value: number) => string;
}

const AXIS_WIDTH = 34;
/** About this many intervals between y ticks on a linear scale. */
const TARGET_TICKS = 5;
export const LOG_FLOOR = 0.001;

/** 1, 2 or 5 times a power of ten: the step a reader counts in. */
function roundStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= rough) ?? 10;
  return multiple * power;
}

interface Axis {
  readonly low: number;
  readonly high: number;
  readonly ticks: number[];
  /** 0 at the bottom of the plot, 1 at the top. */
  readonly position: (value: number) => number;
}

/** Tick values a reader can count in (0, 0.5, 1, 1.5 … or 0.001, 0.01, 0.1 …) covering every value and guide. */
export function chartAxis(values: readonly number[], chart: Pick<LineChart, 'yRange' | 'scale'>): Axis {
  if (chart.scale === 'log') {
    const largest = Math.max(...values, LOG_FLOOR * 10);
    const top = Math.ceil(Math.log10(largest) - 1e-9);
    const bottom = Math.log10(LOG_FLOOR);
    const ticks = Array.from({ length: top - bottom + 1 }, (_, index) =>
      Number((10 ** (bottom + index)).toPrecision(1))
    );
    const position = (value: number) => (Math.log10(Math.max(value, LOG_FLOOR)) - bottom) / (top - bottom);
    return { low: LOG_FLOOR, high: 10 ** top, ticks, position };
  }
  const [low, wanted] = chart.yRange ?? [0, Math.max(...values, 1e-6)];
  const step = roundStep((wanted - low) / TARGET_TICKS);
  const high = chart.yRange ? wanted : Math.ceil(wanted / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step - 1e-9) * step; tick <= high + step * 1e-9; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return { low, high, ticks, position: (value: number) => (Math.min(Math.max(value, low), high) - low) / (high - low) };
}

/** A time series chart: one line per series (gaps where a value is null), dashed guide lines, a legend of both above. */
export function drawLineChart(doc: PDFKit.PDFDocument, box: Box, height: number, chart: LineChart): void {
  const values = chart.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const axis = chartAxis([...values, ...(chart.guides ?? []).map((guide) => guide.value)], chart);
  const legendHeight = legend(doc, { x: box.x + AXIS_WIDTH, y: box.y, width: box.width - AXIS_WIDTH }, [
    ...chart.series.map((series, index): [string, string] => [
      series.name,
      CHART_COLOURS.series[index % CHART_COLOURS.series.length],
    ]),
    ...(chart.guides ?? []).map((guide): [string, string] => [`${guide.label} (dashed)`, guide.colour]),
  ]);
  const plot = {
    x: box.x + AXIS_WIDTH,
    y: box.y + legendHeight + 4,
    width: box.width - AXIS_WIDTH - 8,
    height: height - legendHeight - 20,
  };
  const xOf = (index: number) =>
    plot.x + (chart.times.length === 1 ? plot.width / 2 : (index / (chart.times.length - 1)) * plot.width);
  const yOf = (value: number) => plot.y + plot.height - axis.position(value) * plot.height;

  doc.lineWidth(0.4).font('regular').fontSize(6.5);
  for (const tick of axis.ticks) {
    doc
      .moveTo(plot.x, yOf(tick))
      .lineTo(plot.x + plot.width, yOf(tick))
      .strokeColor(CHART_COLOURS.grid)
      .stroke();
    doc
      .fillColor(CHART_COLOURS.axis)
      .text(chart.formatY(tick), box.x, yOf(tick) - 3, { width: AXIS_WIDTH - 4, align: 'right', lineBreak: false });
  }
  const labelEvery = Math.max(1, Math.ceil(chart.times.length / 8));
  const last = chart.times.length - 1;
  chart.times.forEach((time, index) => {
    // Every labelEvery-th day and the last one, unless the two would overlap.
    if (index !== last && (index % labelEvery !== 0 || last - index < labelEvery / 2)) return;
    doc.fillColor(CHART_COLOURS.axis).text(time.slice(5, 10), xOf(index) - 15, plot.y + plot.height + 4, {
      width: 30,
      align: 'center',
      lineBreak: false,
    });
  });
  for (const guide of chart.guides ?? []) {
    doc
      .moveTo(plot.x, yOf(guide.value))
      .lineTo(plot.x + plot.width, yOf(guide.value))
      .dash(3, { space: 2 })
      .lineWidth(0.8)
      .strokeColor(guide.colour)
      .stroke()
      .undash();
  }
  chart.series.forEach((series, index) => {
    const colour = CHART_COLOURS.series[index % CHART_COLOURS.series.length];
    doc.lineWidth(1.2).strokeColor(colour);
    let drawing = false;
    series.values.forEach((value, point) => {
      if (value === null) {
        drawing = false;
        return;
      }
      if (drawing) doc.lineTo(xOf(point), yOf(value));
      else doc.moveTo(xOf(point), yOf(value));
      drawing = true;
    });
    doc.stroke();
    if (chart.times.length <= 31) {
      series.values.forEach((value, point) => {
        if (value !== null) doc.circle(xOf(point), yOf(value), 1.4).fill(colour);
      });
    }
  });
  doc.lineWidth(0.6).strokeColor(CHART_COLOURS.axis);
  doc
    .moveTo(plot.x, plot.y)
    .lineTo(plot.x, plot.y + plot.height)
    .lineTo(plot.x + plot.width, plot.y + plot.height)
    .stroke();
}
