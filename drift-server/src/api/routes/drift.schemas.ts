import { z } from '@hono/zod-openapi';
import {
  AccuracyFigureSchema,
  CalibrationSchema,
  EstimatedAccuracySchema,
  WindowQuery,
  accuracyFigure,
  nullableReference,
} from '../schemas/common';

const ESTIMATED_ACCURACY_FORMULA =
  'CBPE (no labels needed): the reference’s rows with a probability and a label are dealt into 10 random folds and an isotonic calibration of P(label = 1 | probability) fitted without each; c = the mean of the 10 fits; a row predicted 1 is right with chance q = c, one predicted 0 with q = 1 − c (predicted class: the prediction column, else probability ≥ 0.5); estimate = mean q over the window’s scored rows. 95 % band ± √(1.96²·Σ q(1−q)/n² + t²₀.₉₇₅,₉·calibration_sd²): the window’s chance variation and the calibration’s own error. Null without a calibration (see calibration.reason) or scored rows';

const REALIZED_ACCURACY_FORMULA =
  'Right predictions ÷ labelled rows of the window (labels uploaded later by prediction id win over inline ones), 95 % Wilson score band; null until labels arrive';

const REFERENCE_ACCURACY_FORMULA =
  'Right predictions ÷ labelled rows of the reference version, 95 % Wilson score band; null without a calibration';

const AccuracyGapSchema = z
  .object({
    value: z.number().openapi({ description: 'One accuracy minus the other' }),
    lower_bound: z.number().openapi({
      description:
        'Lower confidence bound of the gap at the one-sided decision level (1 %): from both sides’ own intervals at 98 % (Newcombe’s hybrid score / MOVER method)',
    }),
    established: z
      .boolean()
      .openapi({ description: 'value ≥ the material drop (1 point) and lower_bound > 0, on actionable figures' }),
  })
  .openapi('AccuracyGap');

export const TrendQuery = WindowQuery.extend({
  interval: z.string().optional().openapi({
    description: 'Point spacing: 1h, 6h, 1d, 1w… or ms, rounded up to whole hours (default: 1h up to 2 days, else 1d)',
    example: '1d',
  }),
  features: z.string().optional().openapi({ description: 'Comma-separated feature names (default: all)' }),
  series: z.enum(['all', 'features', 'model']).default('all').openapi({
    description:
      'Which series to compute: `features` (per-feature drift only), `model` (health and accuracy per interval, which always cover every feature; `series` is then empty) or `all`. Ask for what you show: the model series recomputes every feature per interval',
  }),
});

const WindowSchema = z
  .object({ from: z.string(), to: z.string() })
  .openapi('Window', { description: 'Window actually used, [from, to)' });

const BaselineSchema = z
  .object({
    kind: z.enum(['reference', 'previous_period']),
    version: z.number().int().optional(),
    rows: z.number().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    binning_version: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Reference version whose bins both sides are counted on' }),
  })
  .openapi('Baseline');

const SeveritySchema = z.enum(['insufficient_data', 'ok', 'warning', 'critical']).openapi({
  description:
    'The worst decided finding (see findings): critical or warning; ok when there is none; insufficient_data when nothing could be judged (fewer than 30 rows in the window or non-missing rows in the baseline)',
});

const FindingSchema = z
  .object({
    name: z
      .enum([
        'distribution_shift',
        'discrete_shift',
        'missing_share_change',
        'mostly_missing',
        'all_missing',
        'out_of_range',
        'unseen_categories',
        'constant_changed',
      ])
      .openapi({
        description:
          'distribution_shift / discrete_shift (per-value bins): the values the baseline also had are distributed differently; missing_share_change, mostly_missing (≥ 50 % missing), all_missing (fewer than 30 values left): the missing share rose; out_of_range, unseen_categories, constant_changed: values outside the baseline’s bins',
      }),
    severity: z.enum(['warning', 'critical']).openapi({
      description:
        'Shifts: psi_corrected ≥ 0.2 critical, ≥ 0.1 warning. Missing: rise ≥ 20 points critical, ≥ 5 warning; mostly_missing and all_missing critical. Outside: ≥ 5 % of the values critical, ≥ 1 % warning',
    }),
    effect: z.number().openapi({
      description:
        'Shifts: psi_corrected. Missing: (m − m₀)/(1 − m₀), the share of values the baseline would have had that are missing (1 for all_missing). Outside: the share of the window’s values outside',
    }),
    p_value: z.number().openapi({
      description:
        'Shifts: chi-square test of homogeneity over the pooled bins; the others: one-sided Fisher exact test of a larger share than the baseline’s',
    }),
    q_value: z.number().openapi({
      description:
        'Benjamini–Hochberg adjusted over the three tests of every feature of the model in the window; a finding needs q ≤ 0.01',
    }),
  })
  .openapi('Finding');

const metric = (description: string) => z.number().nullable().openapi({ description });

const featureDriftFields = {
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  importance: z.number(),
  psi: metric(
    'Population Stability Index Σ (a−e)·ln(a/e) over bins (a production share, e reference share; shares of 0 count as 1e-4); null without data'
  ),
  kl: metric('Kullback–Leibler divergence Σ a·ln(a/e) with the same 1e-4 floor'),
  js: metric('Jensen–Shannon distance, base 2, on raw shares, in [0, 1]'),
  psi_critical: metric(
    'χ²₀.₉₅(K−1)·(1/N + 1/M), K bins with rows, N and M rows per side: the asymptotic noise level of psi; reported, no longer used by the verdict'
  ),
  severity: SeveritySchema,
  drifted: z
    .boolean()
    .openapi({ description: 'The decided verdict: severity warning or critical, i.e. at least one finding' }),
  findings: z.array(FindingSchema).openapi({
    description: 'Every decided finding: q ≤ the false-discovery rate (0.01) and a practically large effect',
  }),
  psi_corrected: metric(
    'Bias-corrected PSI of the non-missing values inside the baseline’s bins: PSI of the bins pooled to ≥ 5 expected rows each, on shares (k + ½)/(n + G/2), minus psi_noise; at least 0. What the PSI thresholds apply to. Null when fewer than 30 values are inside or they pool into one bin'
  ),
  psi_noise: metric(
    'What sampling noise alone adds to that PSI on average at this window’s and baseline’s row counts (exact binomial expectation); the noise level the shift is judged against'
  ),
  shift_p_value: metric('Chi-square test of homogeneity of the pooled bins (dof = pooled bins − 1)'),
  shift_q_value: metric(
    'shift_p_value adjusted by Benjamini–Hochberg over every test of the model’s features in the window'
  ),
  compared_bins: metric('Pooled bins the shift test compared (each expecting ≥ 5 rows on the smaller side)'),
  reference_missing_share: metric('Share of baseline rows with a missing value'),
  outside_share: metric(
    'Share of the window’s non-missing values in bins the baseline never had: beyond its range (numeric) or unseen categories'
  ),
  reference_rows: z.number().openapi({ description: 'Baseline rows including missing values' }),
  production_rows: z.number().openapi({ description: 'Production rows in the window including missing values' }),
  production_missing_share: metric('Share of production rows with a missing value'),
};

export const FeatureDriftRowSchema = z.object(featureDriftFields).openapi('FeatureDrift');

const { feature, importance, ...comparedFields } = featureDriftFields;
void feature;
void importance;

export const PredictionDriftSchema = z
  .object({
    column: z.enum(['probability', 'prediction']).openapi({
      description:
        'The output compared: the probability column (numeric, over cut points frozen from the reference) when the model maps one; else the prediction column, a number for regression and the class mix otherwise',
    }),
    ...comparedFields,
    uncounted_predictions: z.number().int().openapi({
      description:
        'Predictions of the window without output counts (hours ingested before the output was monitored); production_rows counts the rest',
    }),
  })
  .openapi('PredictionDrift', {
    description:
      'Drift of the model’s output against the baseline, with the figures and verdict rule of a feature, decided as its own family (it does not change the features’ false-discovery control); not part of health_score',
  });

const BinSchema = z
  .object({
    label: z.string().openapi({ description: 'Bin label: "< c1", "[c1, c2)", "≥ cn", a category, or "missing"' }),
    reference_count: z.number(),
    production_count: z.number(),
    reference_share: z.number().openapi({ description: 'Share of all baseline rows (missing included)' }),
    production_share: z.number(),
    psi_contribution: z.number().openapi({ description: '(a−e)·ln(a/e) of this bin; PSI is their sum' }),
  })
  .openapi('Bin');

const HEALTH_FORMULA =
  '0–100: 100·(1 − Σ wᵢ·damageᵢ) over every feature, wᵢ = importanceᵢ/Σ importance, damageᵢ = the largest damage of the feature’s decided findings (0 without one): 1 − 2^(−psi_corrected/0.2) for a shift, the affected share for the others, held within [0.29, 0.5] for a warning and [0.5, 1] for a critical finding (all_missing: 1); null when no feature could be judged';

const FeatureContributionSchema = z
  .object({
    feature: z.string(),
    importance: z.number(),
    weight: z.number().openapi({ description: 'wᵢ = importance ÷ Σ importance of all features' }),
    psi: z.number(),
    severity: SeveritySchema,
    finding: z.string().openapi({ description: 'The finding that costs the most' }),
    damage: z
      .number()
      .openapi({ description: 'The largest damage of the feature’s findings, in [0, 1] (see health_score)' }),
    points_lost: z.number().openapi({ description: '100·wᵢ·damageᵢ: health points this feature costs' }),
    share_of_penalty: z.number().openapi({ description: 'points_lost ÷ all points lost' }),
  })
  .openapi('FeatureContribution');

/** The window's accuracy figures and whether verdicts act on them: what a metrics exporter or an alert needs. */
const accuracyFields = {
  estimated_accuracy: nullableReference(EstimatedAccuracySchema, ESTIMATED_ACCURACY_FORMULA),
  estimate_actionable: z.boolean().openapi({
    description:
      'The estimate’s band holds the calibration’s own error (a cross-fitted reference), so verdicts act on it',
  }),
  realized_accuracy: accuracyFigure(REALIZED_ACCURACY_FORMULA),
  realized_actionable: z.boolean().openapi({
    description:
      'The window has at least min_labelled_rows labels: verdicts (drop, concept drift, recoverable loss) act on the realized accuracy; below it the figure is shown, not acted on',
  }),
  min_labelled_rows: z.number().int().openapi({ description: 'The model’s business.min_labelled_rows, or 200' }),
};

export const SummarySchema = z
  .object({
    model_id: z.string(),
    window: WindowSchema,
    baseline: BaselineSchema,
    total_predictions: z.number().openapi({ description: 'Predictions with a timestamp in the window' }),
    data_volume: z.object({
      predictions: z.number(),
      hours_with_data: z.number().int(),
      predictions_per_day: z.number().openapi({ description: 'predictions ÷ window length in days' }),
    }),
    average_drift_score: metric(
      'Importance-weighted mean PSI over features with data (equal weights when all importances are 0)'
    ),
    drifted_features: z
      .number()
      .int()
      .openapi({ description: 'Features whose verdict is drifted (severity warning or critical)' }),
    severity_counts: z.record(z.string(), z.number()),
    features: z.array(FeatureDriftRowSchema).openapi({ description: 'Per-feature drift, highest PSI first' }),
    prediction_drift: PredictionDriftSchema.nullable().openapi({
      description:
        'Drift of the model’s output; null when the model maps neither a probability nor a prediction column, or the reference version has no output values, was stored before outputs were monitored, or froze another column than the model now maps (upload the reference again)',
    }),
    health_score: z
      .number()
      .nullable()
      .openapi({ description: `Model health ${HEALTH_FORMULA}` }),
    top_features: z
      .array(FeatureContributionSchema)
      .openapi({ description: 'Up to 5 features costing at least 0.05 health points, most first' }),
    ...accuracyFields,
    reference_accuracy: accuracyFigure(REFERENCE_ACCURACY_FORMULA),
    estimate_error: metric(
      'estimated − realized accuracy, when both exist; the recommendation’s concept_drift says whether the gap is beyond the sampling error of both'
    ),
    calibration: CalibrationSchema,
  })
  .openapi('ModelSummary');

const gap = (description: string) => nullableReference(AccuracyGapSchema, description);

export const money = (description: string) =>
  z
    .number()
    .nullable()
    .openapi({ description: `${description}; null without business parameters` });

export const RecommendationSchema = z
  .object({
    model_id: z.string(),
    window: WindowSchema,
    baseline: BaselineSchema,
    recommendation: z.enum(['retrain_now', 'schedule_retrain', 'monitor', 'no_action']).openapi({
      description:
        'First match wins: retrain_now when the recoverable loss is confirmed and payback ≤ horizon/2; schedule_retrain when confirmed and payback < horizon, or confirmed without business parameters; monitor when confirmed but not paying back, or any accuracy gap is established (drop, concept drift, a recoverable loss not yet persistent, a lower yardstick), or health < 90, or a feature drifted; otherwise no_action. Always stated: without business parameters or a reference accuracy the reasons say what is missing',
    }),
    reasons: z.array(z.string()).openapi({
      description: 'The decision in sentences, the decisive one first; each names the assumption it rests on',
    }),
    health_score: z
      .number()
      .nullable()
      .openapi({ description: `Health of the window: ${HEALTH_FORMULA}` }),
    drifted_features: z.number().int(),
    accuracy_source: z.enum(['realized', 'estimated']).nullable().openapi({
      description:
        'realized when the window has at least min_labelled_rows labels (or no estimate exists), else the CBPE estimate',
    }),
    current_accuracy: accuracyFigure('The accuracy the drop is measured from (see accuracy_source)'),
    ...accuracyFields,
    reference_accuracy: metric('Realized accuracy on the reference; null without a calibrated reference'),
    reference_accuracy_band: accuracyFigure(REFERENCE_ACCURACY_FORMULA),
    accuracy_drop: metric('reference − current accuracy'),
    drop_is_material: z.boolean().openapi({
      description:
        'The drop is established: ≥ 1 point and its lower confidence bound (both sides’ sampling error, one-sided 1 %) above 0, on an actionable figure',
    }),
    population_shift: gap(
      'reference − estimated: the part of a drop the population shift explains (negative when the inputs moved to where the model does better)'
    ),
    concept_drift: gap(
      'estimated − realized: the part the population shift does not explain; established = concept drift, from the interval whatever the label count'
    ),
    recoverable_drop: gap(
      'min(reference, estimated) − realized: what retraining on recent labels can plausibly win back (the unexplained part, up to the reference accuracy); established by an intersection–union test (both the drop below the reference and the concept drift established) and only on actionable labels and estimate'
    ),
    persistence: z
      .object({
        established_days: z.number().int().openapi({
          description:
            'Daily windows among the last `days` (ending where the window ends) with an established recoverable drop',
        }),
        days: z.number().int(),
        required: z.number().int(),
      })
      .nullable()
      .openapi({
        description:
          'The persistence rule: a recoverable drop counts once established on `required` of the last `days` days',
      }),
    recoverable_confirmed: z.boolean().openapi({
      description:
        'The recoverable drop is established in the window and persists: only then is it money (recoverable_per_day) and can retrain_now follow',
    }),
    yardstick: z
      .object({
        previous_version: z.number().int(),
        previous_accuracy: AccuracyFigureSchema,
        fall: AccuracyGapSchema.openapi({ description: 'previous − current reference accuracy' }),
      })
      .nullable()
      .openapi({
        description:
          'The reference version before this one and how far this one’s accuracy lies below it: a retrain never lowers the yardstick silently',
      }),
    decision_rule: z
      .object({
        alpha: z.number().openapi({ description: 'One-sided false-alarm rate of each comparison on one window' }),
        min_material_drop: z.number().openapi({ description: 'The smallest gap that counts' }),
        min_labelled_rows: z.number().int(),
        persistence_required: z.number().int(),
        persistence_days: z.number().int(),
      })
      .nullable()
      .openapi({ description: 'The settings the verdicts were reached with; null without a reference accuracy' }),
    predictions_per_day: z.number().openapi({
      description: 'Window predictions ÷ window days; the model’s business predictions_per_day for windows under a day',
    }),
    predictions_per_day_source: z.enum(['measured', 'business_parameter']),
    currency: z.string().openapi({ description: 'The model’s currency (business.currency)' }),
    value_per_error: money('cost_per_error + value_per_correct_prediction'),
    revenue_at_risk_per_day: money(
      'Established accuracy drop × predictions per day × value per error, whatever its cause; 0 unless the drop is established'
    ),
    recoverable_per_day: money(
      'Confirmed recoverable drop × predictions per day × value per error; 0 unless confirmed'
    ),
    recoverable_value: money('recoverable per day × max(0, horizon − retrain duration)'),
    retrain_cost: money('Cost of one retraining'),
    net_benefit: money('recoverable value − retrain cost'),
    payback_days: metric(
      'retrain duration + retrain cost ÷ recoverable per day; null when nothing is recoverable or without business parameters'
    ),
    retrain_duration_days: money('Days from deciding to retrain until the new model serves'),
    horizon_days: money('Days over which retraining must pay back'),
  })
  .openapi('Recommendation');

export const FeatureDetailSchema = z
  .object({
    model_id: z.string(),
    window: WindowSchema,
    baseline: BaselineSchema,
    drift: z.object({
      ...featureDriftFields,
      bins: z.array(BinSchema).openapi({
        description:
          'Histogram of both sides with each bin’s PSI contribution; missing bin last (numeric) or first (categorical) when either side has missing values',
      }),
      cuts: z.array(z.number()).nullable(),
      binning: z
        .enum(['quantiles', 'values'])
        .nullable()
        .openapi({ description: 'How the numeric bins were frozen (see FeatureBins); null for categorical features' }),
      ks_statistic: metric('Kolmogorov–Smirnov D over non-missing raw values (numeric)'),
      ks_pvalue: metric(
        'Two-sided KS p-value (exact when both sides ≤ 10 000 values, else asymptotic); reported, never used for severity'
      ),
      ks_method: z.enum(['exact', 'asymptotic']).nullable(),
      chi2_statistic: metric(
        'Chi-square statistic of the 2×K table of counts (categorical; bins empty on both sides dropped)'
      ),
      chi2_pvalue: metric('Chi-square p-value'),
      chi2_dof: metric('Chi-square degrees of freedom, K−1'),
    }),
    stats: z.object({
      reference: z
        .record(z.string(), z.number().nullable())
        .nullable()
        .openapi({ description: 'count, missing, mean, std (n−1), min, q05, q25, q50, q75, q95, max' }),
      production: z.record(z.string(), z.number().nullable()).nullable(),
    }),
    raw_rows: z.object({
      reference: z.number().int(),
      production: z
        .number()
        .int()
        .openapi({ description: 'Raw production rows read; 0 when the window lies beyond raw-row retention' }),
      truncated: z.boolean().openapi({
        description: 'True when a side held more rows than the deep-dive limit and only the newest were read',
      }),
    }),
    coverage: z
      .object({
        complete: z.boolean().openapi({
          description:
            'True when the raw rows read are every row of the window on both sides, so every figure rests on the same rows',
        }),
        figures: z
          .record(z.string(), z.object({ reference_rows: z.number().int(), production_rows: z.number().int() }))
          .openapi({
            description:
              'The rows each figure rests on: psi, kl, js, psi_critical, severity, bins, chi2_statistic and chi2_pvalue on every row of the window (hourly aggregates); ks_statistic, ks_pvalue and stats on the raw rows read',
          }),
        note: z.string().nullable().openapi({
          description:
            'When not complete: which figures rest on fewer rows than the window holds, and why (raw-row retention, deep-dive limit)',
        }),
      })
      .openapi({
        description:
          'How far the raw rows reach into the window, figure by figure. Raw production rows are purged after DRIFTGUARD_RAW_RETENTION_DAYS; the aggregates keep every row.',
      }),
  })
  .openapi('FeatureDetail');

const TrendPointSchema = z.object({
  time: z.string().openapi({ description: 'Interval start' }),
  psi: z.number().nullable(),
  js: z.number().nullable(),
  kl: z.number().nullable(),
  psi_critical: z.number().nullable(),
  severity: SeveritySchema,
  production_rows: z.number(),
  drifted: z.boolean().openapi({
    description: 'The interval’s verdict, decided over every feature of the model in the interval',
  }),
  persistent: z.boolean().openapi({
    description:
      'Drifted here and in at least k of the last m intervals (see persistence): what drift-breach annotations show',
  }),
  psi_corrected: z.number().nullable(),
  psi_noise: z.number().nullable(),
  shift_q_value: z.number().nullable(),
  findings: z.array(FindingSchema),
});

export const TrendsSchema = z
  .object({
    model_id: z.string(),
    window: WindowSchema,
    interval_ms: z.number().int(),
    baseline: BaselineSchema,
    volume: z.array(z.object({ time: z.string(), predictions: z.number() })),
    persistence: z.object({ k: z.number().int(), m: z.number().int() }).openapi({
      description:
        'A point is persistent when it and at least k − 1 of the m − 1 intervals before it are drifted (the intervals before the window included): 2 of 3',
    }),
    series: z.array(
      z.object({
        feature: z.string(),
        kind: z.enum(['numeric', 'categorical']),
        points: z.array(TrendPointSchema),
      })
    ),
    prediction_drift: z
      .object({
        column: z.enum(['probability', 'prediction']),
        points: z.array(TrendPointSchema),
      })
      .nullable()
      .openapi({
        description:
          'The model output’s series (see PredictionDrift), each interval decided on its own like a feature, whatever `series` and `features` select; null when the reference has no output bins',
      }),
    model: z
      .object({
        points: z.array(
          z.object({
            time: z.string().openapi({ description: 'Interval start, the same times as the feature series' }),
            health: z
              .number()
              .nullable()
              .openapi({ description: `Health of the interval over all features: ${HEALTH_FORMULA}` }),
            drifted_features: z.number().int(),
            estimated_accuracy: metric(`Value of the interval’s estimate: ${ESTIMATED_ACCURACY_FORMULA}`),
            realized_accuracy: metric(`Value of the interval’s realized accuracy: ${REALIZED_ACCURACY_FORMULA}`),
            labelled_rows: z.number().int().openapi({ description: 'Labelled rows of the interval' }),
          })
        ),
        calibration: CalibrationSchema,
      })
      .optional()
      .openapi({
        description:
          'Model-level series: health and accuracy per interval, accuracy from hourly sums kept at ingestion (so it also covers intervals past raw-row retention); absent with series=features',
      }),
  })
  .openapi('Trends');
