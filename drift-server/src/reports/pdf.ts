import PDFDocument from 'pdfkit';
import { HEALTH_WATCH_LEVEL } from '../engine';
import type { AccuracyFigure } from '../engine';
import { DEFAULT_THRESHOLDS, Severity } from '../stats';
import { ReportContent, ReportFeature, reportHash } from './content';
import { methodology } from './methodology';
import { drawHistogram, drawLineChart, histogramHeight, LOG_FLOOR, MAX_HISTOGRAM_BINS } from './pdf-charts';
import { count, DASH, days, money, percent, pValue, significant, signedPoints, SMALLEST_SHOWN } from '../number-format';
import { printable, REPORT_FONTS } from './pdf-fonts';
import { HOUR_MS } from '../time';
import { PDF_SEVERITY_COLOURS } from './severity-colours';

const MARGIN = 50;
const FOOTER_SPACE = 40;
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

const SEVERITY_COLOURS: Record<Severity, { readonly fill: string; readonly text: string }> = PDF_SEVERITY_COLOURS;

interface TableColumn {
  readonly title: string;
  readonly width: number;
  readonly align?: 'left' | 'right' | 'center';
}

/** Text, or a severity badge in the severity's colour. */
type TableCell = string | { readonly severity: Severity };

const RECOMMENDATION_TEXT = {
  retrain_now: 'Retrain now',
  schedule_retrain: 'Schedule retraining',
  monitor: 'Monitor',
  no_action: 'No action',
} as const;
const RECOMMENDATION_COLOURS = {
  retrain_now: '#c62828',
  schedule_retrain: '#d9822b',
  monitor: '#a66a00',
  no_action: '#2e7d32',
} as const;

/** Below this health the summary shows the score in red: half the importance-weighted features' worth is lost. */
const POOR_HEALTH = 50;

/** An ISO time to the minute, as tables show it (their headers say UTC). */
const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const utc = (iso: string) => `${minute(iso)} UTC`;

/** The window as an auditor must read it: both ends, which one is excluded, the last hour counted, and its length. */
function windowText(window: { from: string; to: string }): string {
  const lastHour = new Date(Date.parse(window.to) - HOUR_MS).toISOString();
  const length = (Date.parse(window.to) - Date.parse(window.from)) / HOUR_MS;
  const span =
    length % 24 === 0 ? `${length / 24} day${length === 24 ? '' : 's'}` : `${length} hour${length === 1 ? '' : 's'}`;
  return `${utc(window.from)} to ${utc(window.to)}, end exclusive: rows from ${utc(window.from)} up to but not including ${utc(window.to)} (the last hour counted starts ${utc(lastHour)}; ${span})`;
}

function accuracyText(figure: AccuracyFigure | null): string {
  return figure === null
    ? 'unavailable'
    : `${percent(figure.value)} (95% band ${percent(figure.lower)}–${percent(figure.upper)}, ${count(figure.rows)} rows)`;
}

/** Lays out the report's sections page by page; the footers follow once the number of pages is known. */
class ReportWriter {
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly content: ReportContent
  ) {}

  /**
   * The footer on every page, written last over the buffered pages when their number is known:
   * the data's hash, then the generation time and "page N of M".
   */
  footers(hash: string, generatedAt: Date): void {
    const { doc } = this;
    const { start, count: pages } = doc.bufferedPageRange();
    for (let index = start; index < start + pages; index += 1) {
      doc.switchToPage(index);
      // Text below the bottom margin would otherwise start a new page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font('regular').fontSize(6.5).fillColor('#666666');
      const line = (text: string, y: number) =>
        doc.text(text, MARGIN, y, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
      line(`SHA-256 of report data ${hash}`, PAGE.height - 32);
      line(`Generated ${generatedAt.toISOString()} · page ${index - start + 1} of ${pages}`, PAGE.height - 23);
      doc.page.margins.bottom = bottom;
    }
  }

  private ensureSpace(height: number): void {
    if (this.doc.y + height > PAGE.height - FOOTER_SPACE - MARGIN / 2) this.doc.addPage();
  }

  /** A section title, on a new page or where `keepWith` points of what follows still fit below it. */
  private heading(text: string, newPage: boolean, keepWith = 60): void {
    if (newPage) this.doc.addPage();
    else this.ensureSpace(keepWith);
    this.doc.font('bold').fontSize(14).fillColor('#111111').text(printable(text), MARGIN, this.doc.y);
    this.doc.moveDown(0.4);
  }

  private subheading(text: string): void {
    this.doc.font('bold').fontSize(10).fillColor('#222222').text(printable(text), MARGIN, this.doc.y);
    this.doc.moveDown(0.2);
  }

  private paragraph(text: string, size = 9): void {
    this.ensureSpace(
      this.doc.font('regular').fontSize(size).heightOfString(printable(text), { width: CONTENT_WIDTH }) + 4
    );
    this.doc
      .font('regular')
      .fontSize(size)
      .fillColor('#222222')
      .text(printable(text), MARGIN, this.doc.y, { width: CONTENT_WIDTH });
    this.doc.moveDown(0.3);
  }

  private badge(
    text: string,
    colours: { fill: string; text: string },
    x: number,
    y: number,
    width: number,
    height: number,
    size: number
  ): void {
    this.doc.roundedRect(x, y, width, height, 2).fill(colours.fill);
    // Smaller type for a word too wide for the badge at `size`.
    const fitted = Math.min(
      size,
      (size * (width - 4)) / this.doc.font('bold').fontSize(size).widthOfString(printable(text))
    );
    this.doc
      .fontSize(fitted)
      .fillColor(colours.text)
      .text(printable(text), x, y + (height - fitted) / 2 + 0.5, { width, align: 'center', lineBreak: false });
  }

  summaryPage(): void {
    const { doc, content } = this;
    const { summary, accuracy, recommendation } = content;
    doc.font('bold').fontSize(20).fillColor('#111111').text('Model drift report', MARGIN, MARGIN);
    doc.font('regular').fontSize(10).fillColor('#333333');
    const baseline =
      content.baseline.kind === 'reference'
        ? `reference version ${content.baseline.version} (${count(content.baseline.rows)} rows)`
        : `previous period ${utc(content.baseline.from)} to ${utc(content.baseline.to)}, bins of reference version ${content.baseline.binning_version}`;
    for (const line of [
      `Model: ${content.model.name} (${content.model.id}), ${content.model.task.replaceAll('_', ' ')}`,
      `Window: ${windowText(content.window)}`,
      `Baseline: ${baseline}`,
    ]) {
      doc.text(printable(line), MARGIN, doc.y, { width: CONTENT_WIDTH });
    }
    doc.moveDown(0.8);

    const health = summary.health_score;
    const healthColour =
      health === null
        ? SEVERITY_COLOURS.insufficient_data
        : health >= HEALTH_WATCH_LEVEL
          ? SEVERITY_COLOURS.ok
          : health >= POOR_HEALTH
            ? SEVERITY_COLOURS.warning
            : SEVERITY_COLOURS.critical;
    const top = doc.y;
    this.badge(health === null ? 'unknown' : health.toFixed(1), healthColour, MARGIN, top, 110, 44, 22);
    doc
      .font('regular')
      .fontSize(8)
      .fillColor('#333333')
      .text('Health score (0-100)', MARGIN, top + 48, { width: 110, align: 'center' });
    const figures: [string, string][] = [
      ['Estimated accuracy (CBPE)', accuracyText(accuracy.estimated)],
      ['Realized accuracy (labels)', accuracyText(accuracy.realized)],
      ['Reference accuracy', accuracyText(accuracy.reference)],
      [
        'Revenue at risk per day',
        recommendation?.revenue_at_risk_per_day == null
          ? 'unavailable (no business parameters)'
          : money(recommendation.revenue_at_risk_per_day, recommendation.currency),
      ],
      [
        'Predictions',
        `${count(summary.total_predictions)} (${count(summary.predictions_per_day)} per day, ${summary.hours_with_data} hours with data)`,
      ],
      [
        'Drifted features',
        `${summary.drifted_features} of ${content.features.length} (critical ${summary.severity_counts.critical}, warning ${summary.severity_counts.warning}, insufficient data ${summary.severity_counts.insufficient_data})`,
      ],
      ['Average drift score (PSI)', significant(summary.average_drift_score)],
    ];
    figures.forEach(([name, value], row) => {
      const y = top + row * 13;
      doc
        .font('bold')
        .fontSize(8.5)
        .fillColor('#222222')
        .text(printable(name), MARGIN + 125, y, { width: 140, lineBreak: false });
      doc
        .font('regular')
        .text(printable(value), MARGIN + 268, y, { width: CONTENT_WIDTH - 268, lineBreak: false, ellipsis: true });
    });
    doc.y = top + Math.max(70, figures.length * 13) + 14;

    this.subheading('Recommendation');
    if (recommendation === null) {
      this.paragraph(`Unavailable: ${content.recommendation_unavailable.join('; ')}.`);
    } else {
      const y = doc.y;
      this.badge(
        RECOMMENDATION_TEXT[recommendation.recommendation],
        { fill: RECOMMENDATION_COLOURS[recommendation.recommendation], text: '#ffffff' },
        MARGIN,
        y,
        150,
        22,
        12
      );
      doc
        .font('regular')
        .fontSize(8)
        .fillColor('#555555')
        .text(`(${recommendation.recommendation})`, MARGIN + 158, y + 7, { lineBreak: false });
      doc.y = y + 30;
      for (const reason of recommendation.reasons) this.paragraph(`• ${reason}`);
      const { currency } = recommendation;
      const drop = `Accuracy drop ${recommendation.accuracy_drop === null ? DASH : signedPoints(recommendation.accuracy_drop)} (${recommendation.accuracy_source ?? 'no'} accuracy, ${recommendation.drop_is_material ? 'established' : 'not established'})`;
      const amount = (value: number | null) => (value === null ? DASH : money(value, currency));
      this.paragraph(
        recommendation.value_per_error === null
          ? `${drop}; no money figures without business parameters.`
          : `${drop}; recoverable ${amount(recommendation.recoverable_per_day)} a day, ${amount(recommendation.recoverable_value)} over the horizon; ` +
              `retrain cost ${amount(recommendation.retrain_cost)}; net benefit ${amount(recommendation.net_benefit)}; ` +
              `payback ${recommendation.payback_days === null ? 'never' : days(recommendation.payback_days)}; ` +
              `horizon ${recommendation.horizon_days === null ? DASH : days(recommendation.horizon_days)}; value per error ${amount(recommendation.value_per_error)}.`,
        8
      );
    }
    doc.moveDown(0.5);
    this.subheading('Features costing most health');
    if (summary.top_features.length === 0) {
      this.paragraph(
        health === null
          ? 'None: no feature has enough rows to be assessed.'
          : 'None: no feature drifts beyond sampling noise.'
      );
    }
    for (const feature of summary.top_features) {
      this.paragraph(
        `${feature.feature}: PSI ${significant(feature.psi)}, ${feature.severity}, -${feature.points_lost.toFixed(1)} points (${percent(feature.share_of_penalty)} of the loss, weight ${percent(feature.weight)})`
      );
    }
    if (summary.insufficient_features.length > 0) {
      this.paragraph(
        `Not assessed for lack of rows (at least ${DEFAULT_THRESHOLDS.minRows} non-missing per side): ${summary.insufficient_features.join(', ')}.`,
        8
      );
    }
    if (accuracy.calibration.reason !== null)
      this.paragraph(`No accuracy estimate: ${accuracy.calibration.reason}.`, 8);
  }

  featureTable(): void {
    this.heading('Features', true);
    this.paragraph(
      `Highest PSI first. Figures to three significant digits; below ${SMALLEST_SHOWN} written "< ${SMALLEST_SHOWN}" (the CSV export has full precision and the descriptive statistics of both sides). Test: Kolmogorov–Smirnov statistic D and p-value (numeric) or chi-square p-value (categorical). Missing: share of rows without a value, baseline → window.`,
      8
    );
    const test = (feature: ReportFeature) => {
      if (feature.kind === 'numeric')
        return feature.ks_statistic === null
          ? DASH
          : `D ${significant(feature.ks_statistic)}, p ${pValue(feature.ks_pvalue)}`;
      return feature.chi2_pvalue === null ? DASH : `χ² p ${pValue(feature.chi2_pvalue)}`;
    };
    this.table(
      [
        { title: 'Feature', width: 91 },
        { title: 'Kind', width: 44 },
        { title: 'Imp.', width: 24, align: 'right' },
        { title: 'PSI', width: 34, align: 'right' },
        { title: 'PSI crit.', width: 36, align: 'right' },
        { title: 'JS', width: 34, align: 'right' },
        { title: 'KL', width: 34, align: 'right' },
        { title: 'Test', width: 68, align: 'right' },
        { title: 'Missing', width: 68, align: 'right' },
        { title: 'Severity', width: 62, align: 'center' },
      ],
      this.content.features.map((feature) => [
        feature.feature,
        feature.kind,
        String(Number(feature.importance.toPrecision(3))),
        significant(feature.psi),
        significant(feature.psi_critical),
        significant(feature.js),
        significant(feature.kl),
        test(feature),
        `${percent(feature.reference_missing_share)} → ${percent(feature.production_missing_share)}`,
        { severity: feature.severity },
      ])
    );
  }

  histograms(): void {
    const charted = this.content.histograms.length;
    this.heading(`Histograms: the ${charted === 1 ? 'feature' : `${charted} features`} with the highest PSI`, true);
    this.paragraph(
      'Share of rows per bin, reference (grey) against production (orange), with both shares written beside the bars.',
      8
    );
    if (this.content.histograms.length === 0) this.paragraph('No feature has production rows in the window.');
    for (const histogram of this.content.histograms) {
      this.ensureSpace(histogramHeight(histogram.bins) + 30);
      this.subheading(
        `${histogram.feature} (${histogram.kind}): PSI ${significant(histogram.psi)}, ${histogram.severity}`
      );
      if (histogram.bins.length > MAX_HISTOGRAM_BINS) {
        this.paragraph(
          `The ${MAX_HISTOGRAM_BINS} of ${histogram.bins.length} categories contributing most PSI, in category order.`,
          7.5
        );
      }
      const y = this.doc.y;
      drawHistogram(this.doc, { x: MARGIN, y, width: CONTENT_WIDTH }, histogram.bins);
      this.doc.y = y + histogramHeight(histogram.bins) + 14;
    }
  }

  trends(): void {
    const { doc, content } = this;
    const { trend } = content;
    this.heading('Daily trends', true);
    this.paragraph(`Per UTC day from ${utc(trend.window.from)} to ${utc(trend.window.to)}.`, 8);
    const times = trend.days.map((day) => day.time);
    const chartHeight = 170;
    const chart = (title: string, draw: (y: number) => void) => {
      this.ensureSpace(chartHeight + 20);
      this.subheading(title);
      const y = doc.y;
      draw(y);
      doc.y = y + chartHeight + 8;
    };
    chart('Health score', (y) =>
      drawLineChart(doc, { x: MARGIN, y, width: CONTENT_WIDTH }, chartHeight, {
        times,
        series: [{ name: 'health', values: trend.days.map((day) => day.health) }],
        yRange: [0, 100],
        guides: [{ value: HEALTH_WATCH_LEVEL, label: `watch level ${HEALTH_WATCH_LEVEL}`, colour: '#a66a00' }],
        formatY: (value) => value.toFixed(0),
      })
    );
    const charted = content.histograms.map((histogram) => histogram.feature);
    chart(
      `PSI of the most drifted features (log scale, ×10 per grid line; values below ${LOG_FLOOR} on the bottom line)`,
      (y) =>
        drawLineChart(doc, { x: MARGIN, y, width: CONTENT_WIDTH }, chartHeight, {
          times,
          series: charted.map((feature) => ({
            name: feature,
            values: trend.days.map((day) => day.psi[trend.features.indexOf(feature)]),
          })),
          guides: [
            {
              value: DEFAULT_THRESHOLDS.psiWarning,
              label: `warning ${DEFAULT_THRESHOLDS.psiWarning}`,
              colour: SEVERITY_COLOURS.warning.fill,
            },
            {
              value: DEFAULT_THRESHOLDS.psiCritical,
              label: `critical ${DEFAULT_THRESHOLDS.psiCritical}`,
              colour: SEVERITY_COLOURS.critical.fill,
            },
          ],
          scale: 'log',
          formatY: (value) => String(value),
        })
    );
    chart('Accuracy', (y) =>
      drawLineChart(doc, { x: MARGIN, y, width: CONTENT_WIDTH }, chartHeight, {
        times,
        series: [
          { name: 'estimated (CBPE)', values: trend.days.map((day) => day.estimated_accuracy) },
          { name: 'realized (labels)', values: trend.days.map((day) => day.realized_accuracy) },
        ],
        yRange: [0, 1],
        formatY: (value) => `${(100 * value).toFixed(0)}%`,
      })
    );
  }

  /** Rows under a header repeated on every page the table spans; a row is as tall as its longest cell. */
  private table(columns: readonly TableColumn[], rows: readonly TableCell[][]): void {
    const { doc } = this;
    const header = () => {
      let x = MARGIN;
      const y = doc.y;
      doc.rect(MARGIN, y - 2, CONTENT_WIDTH, 13).fill('#eeeeee');
      doc.font('bold').fontSize(7).fillColor('#222222');
      for (const column of columns) {
        doc.text(column.title, x + 2, y + 1, {
          width: column.width - 4,
          align: column.align ?? 'left',
          lineBreak: false,
        });
        x += column.width;
      }
      doc.y = y + 14;
    };
    header();
    for (const row of rows) {
      doc.font('regular').fontSize(7);
      const textHeight = (cell: TableCell, index: number) =>
        typeof cell === 'string' ? doc.heightOfString(printable(cell), { width: columns[index].width - 4 }) : 0;
      const height = Math.max(12, ...row.map(textHeight)) + 3;
      if (doc.y + height > PAGE.height - FOOTER_SPACE - MARGIN / 2) {
        doc.addPage();
        header();
      }
      const y = doc.y;
      let x = MARGIN;
      row.forEach((cell, index) => {
        const { width, align = 'left' } = columns[index];
        if (typeof cell === 'string')
          doc
            .font('regular')
            .fontSize(7)
            .fillColor('#222222')
            .text(printable(cell), x + 2, y + 1.5, { width: width - 4, align });
        else
          this.badge(
            cell.severity.replace('_', ' '),
            SEVERITY_COLOURS[cell.severity],
            x + 3,
            y + 0.5,
            width - 6,
            10,
            6.5
          );
        x += width;
      });
      doc
        .moveTo(MARGIN, y + height)
        .lineTo(MARGIN + CONTENT_WIDTH, y + height)
        .lineWidth(0.3)
        .strokeColor('#dddddd')
        .stroke();
      doc.y = y + height + 1;
    }
  }

  /** A titled table of the window's activity, or a sentence saying there was none. */
  private activityTable(title: string, columns: readonly TableColumn[], rows: string[][], empty: string): void {
    // The title, the header and a first row stay together.
    this.ensureSpace(50);
    this.subheading(title);
    if (rows.length === 0) this.paragraph(empty, 8);
    else this.table(columns, rows);
    this.doc.moveDown(0.6);
  }

  activity(): void {
    const { content } = this;
    // Both tables' titles and first rows (or their "none" lines) stay on the page of the heading.
    this.heading('Retrain jobs and alerts in the window', false, 150);
    this.activityTable(
      'Retrain jobs',
      [
        { title: 'Created (UTC)', width: 80 },
        { title: 'Status', width: 55 },
        { title: 'Trigger', width: 40 },
        { title: 'Requested by', width: 70 },
        { title: 'Finished (UTC)', width: 80 },
        { title: 'Reason / message', width: 170 },
      ],
      content.retrain_jobs.map((job) => [
        minute(job.created_at),
        job.status,
        job.trigger,
        job.requested_by,
        job.finished_at === null ? DASH : minute(job.finished_at),
        [job.reason, job.message].filter((text) => text !== null && text !== '').join(' / '),
      ]),
      'No retrain job was created, started or finished in the window.'
    );
    this.activityTable(
      'Alerts received',
      [
        { title: 'Starts at (UTC)', width: 80 },
        { title: 'Alert', width: 90 },
        { title: 'Status', width: 45 },
        { title: 'Severity', width: 45 },
        { title: 'Action', width: 65 },
        { title: 'Summary', width: 170 },
      ],
      content.alerts.map((alert) => [
        minute(alert.starts_at),
        alert.alertname,
        alert.status,
        alert.severity ?? DASH,
        alert.action,
        alert.summary ?? DASH,
      ]),
      'No alert was received in the window.'
    );
  }

  appendix(): void {
    this.heading('Methodology', true);
    for (const section of methodology(this.content.model.buckets)) {
      this.ensureSpace(40);
      this.subheading(section.title);
      for (const paragraph of section.paragraphs) this.paragraph(paragraph, 8.5);
      this.doc.moveDown(0.3);
    }
  }
}

/**
 * The report as a PDF document, a readable stream of the file: summary, feature table, histograms,
 * daily trends, retrain jobs and alerts, methodology. Pages are held until the last is laid out,
 * so that each footer can say "page N of M" (a report is a few hundred kilobytes).
 */
export function reportPdf(content: ReportContent, generatedAt: Date): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    margins: { top: MARGIN, bottom: FOOTER_SPACE, left: MARGIN, right: MARGIN },
    info: {
      Title: printable(`Drift report ${content.model.id} ${content.window.from} to ${content.window.to}`),
      Subject: 'Model drift, health, accuracy and retraining recommendation',
      Creator: 'DriftGuard',
      CreationDate: generatedAt,
    },
  });
  doc.registerFont('regular', REPORT_FONTS.regular);
  doc.registerFont('bold', REPORT_FONTS.bold);
  const writer = new ReportWriter(doc, content);
  writer.summaryPage();
  writer.featureTable();
  writer.histograms();
  writer.trends();
  writer.activity();
  writer.appendix();
  writer.footers(reportHash(content), generatedAt);
  doc.end();
  return doc;
}
