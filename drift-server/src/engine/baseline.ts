import { EngineInputError } from './errors';

/**
 * What production is compared with: a stored reference version (the newest when unspecified), or
 * the rolling baseline of the previous period of equal length, for teams without a clean training set.
 */
export type BaselineChoice =
  { readonly kind: 'reference'; readonly version?: number } | { readonly kind: 'previous_period' };

/** `latest` (default), a version number, or `previous_period`. */
export function parseBaseline(text: string | undefined): BaselineChoice {
  if (text === undefined || text === '' || text === 'latest') return { kind: 'reference' };
  if (text === 'previous_period') return { kind: 'previous_period' };
  if (/^[1-9]\d{0,8}$/.test(text)) return { kind: 'reference', version: Number(text) };
  throw new EngineInputError(
    `reference must be "latest", a reference version number or "previous_period", got ${JSON.stringify(text)}`
  );
}
