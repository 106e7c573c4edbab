import { createHash } from 'node:crypto';
import { DriftEngine, resolveWindow } from '../../src/engine';
import { buildReport, CHARTED_FEATURES, reportHash } from '../../src/reports';
import { significant } from '../../src/number-format';
import { TOKENS } from '../api/harness';
import { ATTACK_START_DAY } from '../../src/demo';
import { END_MS, LAST_WEEK, serveScenario, ServedScenario, WINDOW_DAYS } from '../demo/served-scenario';
import { numberCell, parseCsv, pdfText, writeForReview } from './report-files';
import { DAY_MS } from '../../src/time';

const STAT_NAMES = ['count', 'missing', 'mean', 'std', 'min', 'q05', 'q25', 'q50', 'q75', 'q95', 'max'];
const NUMBER_FIELDS = [
  'importance',
  'psi',
  'kl',
  'js',
  'psi_critical',
  'reference_rows',
  'production_rows',
  'production_missing_share',
];
const LAST_FROM = new Date(END_MS - WINDOW_DAYS * DAY_MS).toISOString();
const LAST_TO = new Date(END_MS).toISOString();
/** Twelve days around the attack of day ATTACK_START_DAY: healthy days first, drifted days after. */
const TREND_DAYS = 12;
const AROUND_ATTACK = `from=${new Date(END_MS - TREND_DAYS * DAY_MS).toISOString()}&to=${new Date(END_MS).toISOString()}`;
const TEST_FIELDS = ['ks_statistic', 'ks_pvalue', 'chi2_statistic', 'chi2_pvalue', 'chi2_dof'];

describe('reports of scenario 2 (sudden drift) over the last week', () => {
  let served: ServedScenario;
  let modelId: string;
  beforeAll(async () => {
    served = await serveScenario(2);
    modelId = served.scenario.modelId;
    // 290 000 rows through the real ingestion: about a minute on a busy two-core machine.
  }, 240_000);
  afterAll(() => served?.server.stop());

  const download = (path: string, token = TOKENS.read) =>
    served.server.call(`/api/v1/models/${modelId}/${path}`, { token });

  describe('CSV', () => {
    it('features table: every figure equals the summary and the feature deep dive of the same window', async () => {
      const response = await download(`report.csv?${LAST_WEEK}&table=features`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="driftguard-${modelId}-20261113T0000Z-20261120T0000Z-features.csv"`
      );
      const text = await response.text();
      expect(text.endsWith('\r\n')).toBe(true);
      const { header, records } = parseCsv(text);
      expect(header).toEqual([
        'feature',
        'kind',
        'importance',
        'severity',
        ...NUMBER_FIELDS.slice(1, -1),
        'reference_missing_share',
        'production_missing_share',
        'ks_statistic',
        'ks_pvalue',
        'ks_method',
        'chi2_statistic',
        'chi2_pvalue',
        'chi2_dof',
        ...STAT_NAMES.map((stat) => `reference_${stat}`),
        ...STAT_NAMES.map((stat) => `production_${stat}`),
      ]);
      const summary = await served.get(`summary?${LAST_WEEK}`);
      expect(records.map((record) => record.feature)).toEqual(summary.features.map((feature: any) => feature.feature));
      let compared = 0;
      for (const record of records) {
        const row = summary.features.find((feature: any) => feature.feature === record.feature);
        const detail = await served.get(`features/${encodeURIComponent(record.feature)}?${LAST_WEEK}`);
        for (const field of ['kind', 'severity']) expect(record[field]).toBe(row[field]);
        expect(record.ks_method).toBe(detail.drift.ks_method ?? '');
        for (const field of NUMBER_FIELDS) expect([field, numberCell(record[field])]).toEqual([field, row[field]]);
        for (const field of TEST_FIELDS)
          expect([field, numberCell(record[field])]).toEqual([field, detail.drift[field]]);
        for (const side of ['reference', 'production']) {
          for (const stat of STAT_NAMES)
            expect([side, stat, numberCell(record[`${side}_${stat}`])]).toEqual([
              side,
              stat,
              detail.stats[side]?.[stat] ?? null,
            ]);
        }
        compared += 1;
      }
      expect(compared).toBe(served.scenario.model.features.length);
      // The attack shows: income and debt ratio lead the table as critical.
      expect(
        records
          .slice(0, 2)
          .map((record) => record.feature)
          .sort()
      ).toEqual(['debt_ratio', 'income']);
      expect(records[0].severity).toBe('critical');
      const income = records.find((record) => record.feature === 'income')!;
      expect(numberCell(income.reference_count)! + numberCell(income.reference_missing)!).toBe(
        served.scenario.reference().length
      );
      expect(numberCell(income.reference_missing_share)).toBeCloseTo(
        numberCell(income.reference_missing)! / served.scenario.reference().length,
        12
      );
    });

    it('trends table: one row per day with the daily volume, health, accuracy and every feature’s PSI of GET /trends?interval=1d', async () => {
      const response = await download(`report.csv?${AROUND_ATTACK}&table=trends`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="driftguard-${modelId}-20261108T0000Z-20261120T0000Z-trends.csv"`
      );
      const { header, records } = parseCsv(await response.text());
      const trends = await served.get(`trends?${AROUND_ATTACK}&interval=1d`);
      expect(records).toHaveLength(TREND_DAYS);
      expect(header.filter((name) => name.startsWith('psi:')).sort()).toEqual(
        trends.series.map((series: any) => `psi:${series.feature}`).sort()
      );
      records.forEach((record, day) => {
        expect(record.time).toBe(trends.volume[day].time);
        expect(numberCell(record.predictions)).toBe(trends.volume[day].predictions);
        const point = trends.model.points[day];
        for (const field of [
          'health',
          'drifted_features',
          'estimated_accuracy',
          'realized_accuracy',
          'labelled_rows',
        ]) {
          expect([day, field, numberCell(record[field])]).toEqual([day, field, point[field]]);
        }
        for (const series of trends.series)
          expect([day, series.feature, numberCell(record[`psi:${series.feature}`])]).toEqual([
            day,
            series.feature,
            series.points[day].psi,
          ]);
      });
      const firstDay = served.scenario.days - TREND_DAYS;
      records.forEach((record, index) => {
        const attacked = firstDay + index >= ATTACK_START_DAY;
        expect([record.time, attacked, numberCell(record.health)! > 95]).toEqual([record.time, attacked, !attacked]);
      });
    });

    it('refuses a bad table, bad dates, an unknown model and a token without scope read, as problem details', async () => {
      const cases: [string, string | undefined, number][] = [
        [`report.csv?${LAST_WEEK}&table=bins`, TOKENS.read, 400],
        ['report.csv?from=yesterday', TOKENS.read, 400],
        ['report.pdf?from=2026-11-20T00:00:00Z&to=2026-11-13T00:00:00Z', TOKENS.read, 400],
        ['report.pdf?reference=7', TOKENS.read, 404],
        [`report.csv?${LAST_WEEK}`, TOKENS.ingest, 403],
      ];
      for (const [path, token, status] of cases) {
        const response = await download(path, token);
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          status,
          'application/problem+json',
        ]);
      }
      const unknown = await served.server.call(`/api/v1/models/no-such-model/report.pdf?${LAST_WEEK}`, {
        token: TOKENS.read,
      });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { detail: string }).detail).toMatch(/no-such-model/);
    });
  });

  describe('PDF', () => {
    it('shows the health score, the recommendation and the top feature, with page images written for review', async () => {
      const response = await download(`report.pdf?${LAST_WEEK}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="driftguard-${modelId}-20261113T0000Z-20261120T0000Z.pdf"`
      );
      const pdf = Buffer.from(await response.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { file, pages } = writeForReview('sudden-drift', pdf);
      const text = pdfText(file);
      const summary = await served.get(`summary?${LAST_WEEK}`);
      const recommendation = await served.get(`recommendation?${LAST_WEEK}`);
      expect(text).toMatch(new RegExp(`\\b${summary.health_score.toFixed(1).replace('.', '\\.')}\\b`));
      expect(text).toContain('Retrain now');
      expect(text).toContain('(retrain_now)');
      expect(text).toContain(recommendation.reasons[0].slice(0, 60));
      const top = summary.top_features[0];
      expect(text).toMatch(new RegExp(`${top.feature}: PSI ${significant(top.psi)}, critical`));
      expect(text).toContain(`${(100 * summary.realized_accuracy.value).toFixed(1)}%`);
      for (const section of [
        'Features',
        `Histograms: the ${CHARTED_FEATURES} features with the highest PSI`,
        'Daily trends',
        'Retrain jobs and alerts in the window',
        'Methodology',
      ]) {
        expect(text).toContain(section);
      }
      // Every formula's threshold is in the appendix, read from the code that applies it.
      expect(text).toMatch(/critical: PSI > psi_critical and PSI >= 0\.2/);
      expect(text).toMatch(/2\^\(-max\(0, PSI_i - psi_critical_i\) \/ 0\.2\)/);
      const pageNumbers = [...text.matchAll(/Generated \S+ · page (\d+) of (\d+)/g)].map((footer) => [
        Number(footer[1]),
        Number(footer[2]),
      ]);
      expect(pageNumbers).toEqual(pages.map((_, index) => [index + 1, pages.length]));
      const hashes = [...text.matchAll(/SHA-256 of report data ([0-9a-f]{64})/g)].map((footer) => footer[1]);
      expect(hashes).toHaveLength(pages.length);
      expect(new Set(hashes).size).toBe(1);
      const content = await buildReport(
        new DriftEngine(served.server.server.store),
        modelId,
        resolveWindow(LAST_FROM, LAST_TO),
        { kind: 'reference' }
      );
      expect(hashes[0]).toBe(reportHash(content));
      expect(pages.length).toBeGreaterThanOrEqual(5);
    });

    it('gives the same content hash for the same data, at a different generation time', async () => {
      const hashOf = async () => {
        const pdf = Buffer.from(await (await download(`report.pdf?${LAST_WEEK}`)).arrayBuffer());
        const { file } = writeForReview('sudden-drift-again', pdf);
        const text = pdfText(file);
        const [, hash] = /SHA-256 of report data ([0-9a-f]{64})/.exec(text)!;
        const [, generated] = /Generated (\S+) · page 1 of/.exec(text)!;
        return { generated, hash, bytes: createHash('sha256').update(pdf).digest('hex') };
      };
      const first = await hashOf();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await hashOf();
      expect(second.hash).toBe(first.hash);
      expect(second.generated).not.toBe(first.generated);
      expect(second.bytes).not.toBe(first.bytes);
      const otherWindow = Buffer.from(
        await (await download('report.pdf?from=2026-11-12T00:00:00Z&to=2026-11-19T00:00:00Z')).arrayBuffer()
      );
      const { file } = writeForReview('sudden-drift-other-window', otherWindow);
      expect(/SHA-256 of report data ([0-9a-f]{64})/.exec(pdfText(file))![1]).not.toBe(first.hash);
    });
  });
});
