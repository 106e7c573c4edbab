/**
 * How the panel arranges itself in the width it has: Grafana gives a panel any width from a phone's
 * (a dashboard under 768 px puts every panel at full width) to a wide screen's.
 */

/** full: every column; compact: the drift measures besides PSI and the importance left out; narrow: PSI only. */
export type TableDensity = 'full' | 'compact' | 'narrow';

export interface PanelLayout {
  /** Deep dive and retrain advisor side by side (2) or one below the other (1). */
  columns: 1 | 2;
  /** Width of one of those columns, in pixels. */
  columnWidth: number;
  table: TableDensity;
  /** Width of each PSI sparkline in the feature table. */
  sparklineWidth: number;
  /** The retrain jobs' requester under the time instead of a column of its own. */
  compactJobs: boolean;
}

/** Below this a deep-dive column squeezes the histogram and the statistics table. */
const MIN_COLUMN_WIDTH = 440;
/** What the feature table needs with every column, and with the compact set. */
const FULL_TABLE_WIDTH = 800;
const COMPACT_TABLE_WIDTH = 540;
/** Below this the job list's five columns squeeze its reasons into a word per line. */
const FULL_JOB_LIST_WIDTH = 480;
const SPARKLINE_WIDTH: Record<TableDensity, number> = { full: 120, compact: 96, narrow: 64 };

export function panelLayout(contentWidth: number, sideBySide: boolean, gap: number): PanelLayout {
  const columns = sideBySide && contentWidth >= 2 * MIN_COLUMN_WIDTH + gap ? 2 : 1;
  const table: TableDensity =
    contentWidth >= FULL_TABLE_WIDTH ? 'full' : contentWidth >= COMPACT_TABLE_WIDTH ? 'compact' : 'narrow';
  const columnWidth = Math.floor((contentWidth - gap * (columns - 1)) / columns);
  return {
    columns,
    columnWidth,
    table,
    sparklineWidth: SPARKLINE_WIDTH[table],
    compactJobs: columnWidth < FULL_JOB_LIST_WIDTH,
  };
}
