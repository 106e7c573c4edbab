import { z } from '@hono/zod-openapi';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPES, ProblemType } from './problems';
import { ProblemSchema } from './schemas/common';

export const SECURITY = [{ bearerAuth: [] }];

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The problem responses a route can give, always including 401 and 403. */
export function problems(...types: ProblemType[]) {
  const all: ProblemType[] = ['unauthorized', 'forbidden', ...types];
  return Object.fromEntries(
    all.map((type) => [
      PROBLEM_TYPES[type].status,
      { content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } }, description: PROBLEM_TYPES[type].title },
    ])
  );
}

export const UPLOAD_CONTENT = {
  'text/csv': { schema: z.string().openapi({ description: 'CSV with a header row; empty fields are missing values' }) },
  'application/x-ndjson': { schema: z.string().openapi({ description: 'One JSON object per line' }) },
  'application/json': {
    schema: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: 'A JSON array of row objects (parsed as a stream)' }),
  },
  'application/vnd.apache.parquet': {
    schema: z.string().openapi({ format: 'binary', description: 'A Parquet file, read by DuckDB' }),
  },
};
