import { createDataFrame, DataFrame, DataFrameType, FieldType, QueryResultMetaNotice } from '@grafana/data';
import { FeatureDetail } from 'driftguard-api-contract';
import { DetailSection } from '../types';
import { metricConfigFor } from './metricConfig';

const METRICS_BY_KIND = {
  numeric: ['psi', 'psi_critical', 'js', 'kl', 'ks_statistic', 'ks_pvalue', 'production_missing_share'],
  categorical: [
    'psi',
    'psi_critical',
    'js',
    'kl',
    'chi2_statistic',
    'chi2_pvalue',
    'chi2_dof',
    'production_missing_share',
  ],
} as const;

/** Reference vs production share per bin (a Bar chart draws the overlay), with each bin's PSI contribution. */
export function histogramFrame({ drift }: FeatureDetail): DataFrame {
  return createDataFrame({
    name: 'histogram',
    fields: [
      {
        name: 'bin',
        type: FieldType.string,
        values: drift.bins.map((b) => b.label),
        config: { displayNameFromDS: 'Bin' },
      },
      {
        name: 'reference_share',
        type: FieldType.number,
        values: drift.bins.map((b) => b.reference_share),
        config: { displayNameFromDS: 'Reference', unit: 'percentunit', decimals: 1, min: 0 },
      },
      {
        name: 'production_share',
        type: FieldType.number,
        values: drift.bins.map((b) => b.production_share),
        config: { displayNameFromDS: 'Production', unit: 'percentunit', decimals: 1, min: 0 },
      },
      {
        name: 'psi_contribution',
        type: FieldType.number,
        values: drift.bins.map((b) => b.psi_contribution),
        config: { displayNameFromDS: 'PSI contribution', unit: 'none', decimals: 4 },
      },
    ],
  });
}

/** The feature's drift figures as one numeric-wide row: KS for numeric features, chi-square for categorical ones. */
export function metricsFrame({ drift }: FeatureDetail): DataFrame {
  return createDataFrame({
    name: 'metrics',
    meta: { type: DataFrameType.NumericWide, typeVersion: [0, 1] },
    fields: METRICS_BY_KIND[drift.kind].map((metric) => ({
      name: metric,
      type: FieldType.number,
      values: [drift[metric]],
      config: metricConfigFor(metric),
    })),
  });
}

/** drift-server's note when KS and the statistics rest on fewer raw rows than the window holds, as a frame notice. */
function coverageNotices({ coverage }: FeatureDetail): QueryResultMetaNotice[] {
  return !coverage.complete && coverage.note ? [{ severity: 'warning', text: coverage.note }] : [];
}

/** Descriptive statistics of both sides, one row per statistic; empty for categorical features. */
export function statisticsFrame(detail: FeatureDetail): DataFrame {
  const { stats } = detail;
  const names = Object.keys(stats.reference ?? stats.production ?? {});
  return createDataFrame({
    name: 'statistics',
    meta: { notices: coverageNotices(detail) },
    fields: [
      { name: 'statistic', type: FieldType.string, values: names, config: { displayNameFromDS: 'Statistic' } },
      {
        name: 'reference',
        type: FieldType.number,
        values: names.map((name) => stats.reference?.[name] ?? null),
        config: { displayNameFromDS: 'Reference' },
      },
      {
        name: 'production',
        type: FieldType.number,
        values: names.map((name) => stats.production?.[name] ?? null),
        config: { displayNameFromDS: 'Production' },
      },
    ],
  });
}

const SECTION_FRAMES: Record<DetailSection, (detail: FeatureDetail) => DataFrame> = {
  histogram: histogramFrame,
  metrics: metricsFrame,
  statistics: statisticsFrame,
};

export function featureDetailFrames(detail: FeatureDetail, section?: DetailSection): DataFrame[] {
  const sections = section ? [section] : (Object.keys(SECTION_FRAMES) as DetailSection[]);
  return sections.map((name) => SECTION_FRAMES[name](detail));
}
