import { Readable } from 'node:stream';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { DriftEngine } from '../../engine';
import { buildReport, CSV_TABLES, reportCsv, reportFileName, reportPdf } from '../../reports';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { problems, SECURITY } from '../openapi';
import { ModelParams, WindowQuery, windowOf } from '../schemas/common';

const CsvQuery = WindowQuery.extend({
  table: z.enum(CSV_TABLES).default('features').openapi({
    description:
      'features: one row per feature (metrics, severity, tests, descriptive statistics of both sides); trends: one row per UTC day (volume, health, accuracy, each feature’s PSI)',
  }),
});
const REPORT_PROBLEMS = problems('invalid-request', 'not-found', 'query-timeout');
const NEUTRALISED =
  'RFC 4180 (CRLF, fields with comma, quote or line break quoted, quotes doubled). Text cells starting with = + - @ tab, CR or a single quote get one leading single quote so spreadsheets never run them as formulas; drop one leading quote from a text cell to get the original. Numbers are written in full precision and never changed; empty cells are nulls.';

const attachment = (fileName: string) => `attachment; filename="${fileName}"`;

/** Compliance reports of a model over a window: the same figures as the drift routes, as CSV tables or a PDF document. */
export function reportRoutes(engine: DriftEngine): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/report.csv',
      tags: ['reports'],
      summary: 'Drift report as CSV: the feature table or the daily trends of a window',
      description: `The figures of GET /summary, /features/{feature} and /trends?interval=1d for the same window and baseline (docs/REPORTS.md lists the columns). ${NEUTRALISED}`,
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: CsvQuery },
      responses: {
        200: {
          description: 'The CSV file, as an attachment named driftguard-<model>-<from>-<to>-<table>.csv',
          content: { 'text/csv': { schema: z.string() } },
        },
        ...REPORT_PROBLEMS,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { window, baseline } = windowOf(query);
      const content = await buildReport(engine, c.req.valid('param').modelId, window, baseline);
      return c.body(reportCsv(content, query.table), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': attachment(reportFileName(content, query.table)),
      });
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/report.pdf',
      tags: ['reports'],
      summary: 'Drift report as PDF: summary, feature table, histograms, trends, retrain jobs and alerts, methodology',
      description:
        'A document for model risk and audit files, streamed: summary page (health score, estimated/realized/reference accuracy, revenue at risk, recommendation and reasons), the feature table with severity colours, reference vs production histograms of the most drifted features, daily health, PSI and accuracy charts, the retrain jobs and alerts of the window, and a methodology appendix with every formula and threshold. Each page’s footer holds the generation time and the SHA-256 of the report data (canonical JSON; the same data always gives the same hash).',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: WindowQuery },
      responses: {
        200: {
          description: 'The PDF file, as an attachment named driftguard-<model>-<from>-<to>.pdf',
          content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...REPORT_PROBLEMS,
      },
    }),
    async (c) => {
      const { window, baseline } = windowOf(c.req.valid('query'));
      const content = await buildReport(engine, c.req.valid('param').modelId, window, baseline);
      const pdf = Readable.toWeb(reportPdf(content, new Date())) as ReadableStream<Uint8Array>;
      return c.body(pdf, 200, {
        'content-type': 'application/pdf',
        'content-disposition': attachment(reportFileName(content, 'pdf')),
      });
    }
  );

  return app;
}
