/**
 * What several route groups share: ids and names, the problem body, the accuracy and calibration
 * figures, and the query of a window (parsed here once for every route that takes one). Each route
 * group's own schemas sit beside it, in `routes/<group>.schemas.ts`.
 */
import { z } from '@hono/zod-openapi';
import { BaselineChoice, parseBaseline, parseInstant, resolveWindow, TimeWindow } from '../../engine';
import { ApiProblem } from '../problems';

export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Largest whole number a path or query parameter may be: the stored INTEGER columns' range. */
export const MAX_INTEGER_PARAM = 2_147_483_647;

// Names are data, never SQL: any printable text is accepted, control characters are not.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

export const printableName = (what: string) =>
  z.string().min(1).max(256).regex(PRINTABLE, `${what} must be printable text`);

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: 'URI of the problem type, documented in docs/API.md',
      example: 'https://driftguard.dev/problems/invalid-data',
    }),
    title: z.string().openapi({ description: 'Short summary of the problem type' }),
    status: z.number().int().openapi({ description: 'HTTP status code' }),
    detail: z
      .string()
      .openapi({ description: 'What went wrong with this request, with row and column for data errors' }),
    instance: z.string().openapi({ description: 'Request path' }),
    request_id: z.string().openapi({ description: 'Request id, also in the X-Request-Id header and the server log' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json)' });

export const ModelIdParam = z
  .string()
  .regex(MODEL_ID_PATTERN, 'model ids match ^[a-z0-9][a-z0-9_-]{0,63}$')
  .openapi({
    param: { name: 'modelId', in: 'path' },
    description: 'Model id: lower-case letters, digits, _ and -, at most 64 characters',
    example: 'credit-risk',
  });

/** The path of every route about one model. */
export const ModelParams = z.object({ modelId: ModelIdParam });

export const FeatureBinsSchema = z
  .object({
    kind: z.enum(['numeric', 'categorical']),
    cuts: z.array(z.number()).optional().openapi({
      description:
        'Numeric: cut points c1 < … < cn; a value v falls in bin #{ci ≤ v} (left-closed, outer bins open). c1 is the reference minimum and cn the double just above its maximum, so the first and last bins hold only values outside the reference range',
    }),
    binning: z.enum(['quantiles', 'values']).optional().openapi({
      description:
        'Numeric: `quantiles` (cut points at the reference quantiles k/B) or `values` (one bin per distinct value, for at most 2·B distinct values); absent for versions frozen before tail bins, whose cuts are the quantiles alone',
    }),
    range: z
      .object({ min: z.number(), max: z.number() })
      .optional()
      .openapi({ description: 'Numeric: the reference range' }),
    categories: z
      .array(z.string())
      .optional()
      .openapi({ description: 'Categorical: categories seen in the reference, sorted' }),
    counts: z.array(z.number()).openapi({ description: 'Reference rows per bin, in bin order' }),
    missing: z.number().openapi({ description: 'Reference rows with a missing value (null, NaN, empty)' }),
  })
  .openapi('FeatureBins');

export const AccuracyFigureSchema = z
  .object({
    value: z.number().openapi({ description: 'Accuracy as a share in [0, 1]' }),
    lower: z.number().openapi({ description: 'Lower end of the 95 % band' }),
    upper: z.number().openapi({ description: 'Upper end of the 95 % band' }),
    rows: z
      .number()
      .int()
      .openapi({ description: 'Rows the figure is computed over (for realized and reference accuracy: the labels)' }),
  })
  .openapi('AccuracyFigure');

/**
 * A named (registered) schema or null. `.nullable()` on a registered schema is written into the
 * document as allOf [$ref, {type: [object, null]}], which no null satisfies (an allOf needs every
 * member), so generated clients typed such fields non-null; a union is written as anyOf [$ref, {type: null}].
 */
export const nullableReference = <T extends z.ZodType>(schema: T, description: string) =>
  z.union([schema, z.null()]).openapi({ description });

export const accuracyFigure = (description: string) => nullableReference(AccuracyFigureSchema, description);

export const EstimatedAccuracySchema = AccuracyFigureSchema.extend({
  sampling_sd: z.number().openapi({
    description: 'How far the window’s share of right answers strays from the estimate by chance alone: √(Σ q(1−q))/n',
  }),
  calibration_sd: z.number().nullable().openapi({
    description:
      'The estimate’s error from the calibration itself: delete-a-group jackknife over its 10 folds, √((K−1)/K · Σₖ (estimateₖ − estimate)²); null for a reference calibrated before cross-fitting, whose band leaves it out',
  }),
}).openapi('EstimatedAccuracy');

export const CalibrationSchema = z
  .object({
    status: z.enum(['fitted', 'unavailable']).openapi({
      description: 'fitted when the reference had at least 200 rows with a binary label and a probability',
    }),
    reason: z.string().nullable().openapi({
      description: 'Why there is no calibration (and so no estimated or reference accuracy); null when fitted',
    }),
    reference_version: z.number().int().openapi({ description: 'Reference version the calibration was fitted on' }),
    rows: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Reference rows with a probability and a label it was fitted on' }),
    cross_fitted: z.boolean().nullable().openapi({
      description:
        'true: 10-fold cross-fitted, its error in the estimate’s band; false: a version calibrated before cross-fitting (upload it again); null without a calibration',
    }),
    held_out: z
      .object({
        estimated: EstimatedAccuracySchema.openapi({
          description: 'CBPE on the calibration’s own rows, each scored by the fold fit that did not see it',
        }),
        realized: AccuracyFigureSchema.openapi({ description: 'Realized accuracy on the same rows' }),
      })
      .nullable()
      .openapi({
        description: 'The estimate checked on reference rows the calibration did not see; null before cross-fitting',
      }),
  })
  .openapi('Calibration');

export const WindowQuery = z.object({
  from: z.string().optional().openapi({
    description: 'Window start, ISO 8601 or epoch ms (default: 24 h before `to`); floored to the hour',
    example: '2026-01-01T00:00:00Z',
  }),
  to: z
    .string()
    .optional()
    .openapi({ description: 'Window end (exclusive), ISO 8601 or epoch ms (default: now); ceiled to the hour' }),
  reference: z.string().optional().openapi({
    description:
      'Baseline: `latest` (newest reference version, default), a version number, or `previous_period` (production in the window of equal length just before; for trends, the previous interval)',
    example: 'latest',
  }),
});

/** What a window query asks for, as the engine takes it. */
export interface WindowChoice {
  /** Defaults filled in (the last 24 hours), aligned to whole hours, at most 800 days. */
  readonly window: TimeWindow;
  readonly baseline: BaselineChoice;
}

/** The window and baseline a `WindowQuery` (or a query extending it) names; bad values are EngineInputErrors (400). */
export function windowOf(query: { from?: string; to?: string; reference?: string }): WindowChoice {
  return { window: resolveWindow(query.from, query.to), baseline: parseBaseline(query.reference) };
}

/** A list's optional `from`/`to` query bounds, described by the list that takes them. */
export function boundsQuery(describe: { readonly from: string; readonly to: string }) {
  return {
    from: z.string().optional().openapi({ description: describe.from }),
    to: z.string().optional().openapi({ description: describe.to }),
  };
}

/** The bounds of a `boundsQuery` as epoch ms; either may be absent, and when both are given `from` comes first. */
export function boundsOf(query: { from?: string; to?: string }): { fromMs?: number; toMs?: number } {
  const bounds = {
    fromMs: query.from === undefined ? undefined : parseInstant(query.from, 'from'),
    toMs: query.to === undefined ? undefined : parseInstant(query.to, 'to'),
  };
  if (bounds.fromMs !== undefined && bounds.toMs !== undefined && bounds.fromMs >= bounds.toMs)
    throw new ApiProblem('invalid-request', 'from must be before to');
  return bounds;
}
