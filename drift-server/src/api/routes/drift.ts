import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DriftEngine, ModelHealth, modelHealth, parseInterval } from '../../engine';
import type { AppEnv } from '../context';
import { requireScope } from '../middleware';
import { jsonBytes } from '../json-bytes';
import { jsonInSlices } from '../sliced-json';
import { jsonBody, problems, SECURITY } from '../openapi';
import { ModelParams, WindowQuery, windowOf } from '../schemas/common';
import { FeatureDetailSchema, RecommendationSchema, SummarySchema, TrendQuery, TrendsSchema } from './drift.schemas';

const FeatureParams = ModelParams.extend({
  feature: z
    .string()
    .min(1)
    .openapi({ param: { name: 'feature', in: 'path' }, description: 'Feature name, URL-encoded' }),
});
const QUERY_PROBLEMS = problems('invalid-request', 'not-found', 'conflict', 'query-timeout');

/** The window's accuracy figures and whether verdicts act on them, as the summary and the recommendation show them. */
function accuracyFigures({ accuracy }: ModelHealth) {
  return {
    estimated_accuracy: accuracy.estimated,
    estimate_actionable: accuracy.estimate_actionable,
    realized_accuracy: accuracy.realized,
    realized_actionable: accuracy.realized_actionable,
    min_labelled_rows: accuracy.min_labelled_rows,
  };
}

/** The health figures the summary adds to the drift summary. */
function summaryHealth(health: ModelHealth) {
  const { accuracy } = health;
  return {
    health_score: health.health.health,
    top_features: health.health.top_features,
    ...accuracyFigures(health),
    reference_accuracy: accuracy.reference,
    estimate_error: accuracy.estimate_error,
    calibration: accuracy.calibration,
  };
}

function recommendationBody(health: ModelHealth) {
  const { verdicts } = health;
  const { persistence, ...costs } = health.cost_benefit;
  return {
    model_id: health.model_id,
    window: health.window,
    baseline: health.baseline,
    ...costs,
    persistence: persistence && { ...persistence },
    health_score: health.health.health,
    drifted_features: health.health.drifted_features,
    ...accuracyFigures(health),
    reference_accuracy_band: health.accuracy.reference,
    yardstick: verdicts?.yardstick ?? null,
    decision_rule: verdicts && {
      alpha: verdicts.settings.alpha,
      min_material_drop: verdicts.settings.minMaterialDrop,
      min_labelled_rows: verdicts.settings.minLabelledRows,
      persistence_required: verdicts.settings.persistence.required,
      persistence_days: verdicts.settings.persistence.days,
    },
    predictions_per_day_source: health.predictions_per_day.source,
  };
}

/** Drift queries: all figures from hourly aggregates, except the raw-row KS and statistics of a deep dive. */
export function driftRoutes(engine: DriftEngine): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/summary',
      tags: ['drift'],
      summary: 'Model drift summary for a window',
      description:
        'Total predictions, importance-weighted average PSI, per-feature PSI/KL/JS and the decided verdict (drifted, severity, findings, bias-corrected PSI and its noise level, q-values: beyond noise under Benjamini–Hochberg over the model’s features AND practically large), and data volume, from hourly aggregates; the health score from those verdicts with its top contributing features; estimated (CBPE), realized and reference accuracy from hourly accuracy sums kept at ingestion.',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: WindowQuery },
      responses: { 200: jsonBody(SummarySchema, 'The summary'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const { window, baseline } = windowOf(c.req.valid('query'));
      const { modelId } = c.req.valid('param');
      const [summary, health] = await Promise.all([
        engine.summary(modelId, window, baseline),
        modelHealth(engine, modelId, window, baseline),
      ]);
      return jsonInSlices(c, { ...summary, ...summaryHealth(health) }, 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/recommendation',
      tags: ['drift'],
      summary: 'Retraining cost-benefit for a window: recommendation, reasons and the figures used',
      description:
        'Accuracy verdicts and the money they are worth, for a window against its reference (docs/STATISTICS.md 8.3). Every comparison carries the sampling error of both sides at a one-sided 1 % level and counts gaps of at least 1 point: drop = reference − current accuracy; population_shift = reference − estimate (what the inputs explain); concept_drift = estimate − realized (what they do not); recoverable_drop = min(reference, estimate) − realized, established only with at least min_labelled_rows labels and confirmed once established on 2 of the last 3 days. Revenue at risk per day = established drop × predictions per day × value per error; recoverable per day = confirmed recoverable drop × predictions per day × value per error; recoverable value = recoverable per day × (horizon − retrain duration); payback = retrain duration + retrain cost ÷ recoverable per day. Always answers: without business parameters the money figures are null, without a calibrated reference the verdicts are, and the reasons say so.',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: WindowQuery },
      responses: { 200: jsonBody(RecommendationSchema, 'The recommendation'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const { window, baseline } = windowOf(c.req.valid('query'));
      const health = await modelHealth(engine, c.req.valid('param').modelId, window, baseline);
      return jsonInSlices(c, recommendationBody(health), 200);
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/features/{feature}',
      tags: ['drift'],
      summary:
        'Feature deep dive: histogram of both sides, every metric, descriptive statistics, per-bin PSI contribution',
      description:
        'PSI, KL, JS, the histogram and the verdict come from aggregates (equal to the statistics on the raw rows; the verdict is decided over all the model’s features in the window, as in the summary); KS and descriptive statistics read raw rows, kept for the configured retention.',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: FeatureParams, query: WindowQuery },
      responses: { 200: jsonBody(FeatureDetailSchema, 'The feature detail'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const { modelId, feature } = c.req.valid('param');
      const { window, baseline } = windowOf(c.req.valid('query'));
      const detail = await engine.featureDetail(modelId, feature, window, baseline);
      return jsonInSlices(
        c,
        {
          ...detail,
          stats: {
            reference: detail.stats.reference && { ...detail.stats.reference },
            production: detail.stats.production && { ...detail.stats.production },
          },
        },
        200
      );
    }
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{modelId}/trends',
      tags: ['drift'],
      summary:
        'Drift metrics and verdicts per feature per interval over a window, and model health and accuracy per interval (time series for Grafana)',
      description:
        'Each interval is a window of its own: its verdicts are decided over every feature of the model in that interval (whatever `features` selects), and `persistent` marks a drifted point whose recent intervals drifted too (2 of the last 3).',
      security: SECURITY,
      middleware: [requireScope('read')],
      request: { params: ModelParams, query: TrendQuery },
      responses: { 200: jsonBody(TrendsSchema, 'One series per feature, one point per interval'), ...QUERY_PROBLEMS },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { window, baseline } = windowOf(query);
      const features = query.features?.split(',').filter((name) => name !== '');
      const { modelId } = c.req.valid('param');
      const intervalMs = parseInterval(query.interval, window);
      const document = await engine.trendDocument(modelId, window, intervalMs, baseline, query.series, features);
      return jsonBytes<z.infer<typeof TrendsSchema>, 200>(c, document, 200);
    }
  );

  return app;
}
