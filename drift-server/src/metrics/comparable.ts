import { ConflictError, NotFoundError } from '../store';

/** The reference the metrics compare against: the model's newest version. */
export const LATEST_REFERENCE = { kind: 'reference' } as const;

/**
 * The query's result, or undefined when the model has nothing to compare: no reference uploaded
 * yet (conflict), or deleted since it was listed (not found).
 */
export async function unlessUncomparable<T>(query: Promise<T>): Promise<T | undefined> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) return undefined;
    throw error;
  }
}
