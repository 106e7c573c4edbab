export type { WindowActivity } from './activity';
export { buildReport, CHARTED_FEATURES, REPORT_INTERVAL_MS, reportHash } from './content';
export type { ReportContent, ReportFeature, ReportHistogram, ReportTrend, ReportTrendDay } from './content';
export { CSV_TABLES, featuresCsv, neutraliseText, originalText, reportCsv, trendsCsv } from './csv';
export type { CsvTable } from './csv';
export { reportPdf } from './pdf';
export { reportFileName } from './file-name';
