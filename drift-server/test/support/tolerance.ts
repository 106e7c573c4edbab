/** |actual − expected| ≤ relative·|expected|; an expected 0 must be met exactly. */
export function withinRelative(actual: number, expected: number, relative: number): boolean {
  return Math.abs(actual - expected) <= relative * Math.abs(expected);
}

/** The p-value contract: within 1e-4 absolute or 1 % relative of the reference. */
export function pValueMatches(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-4 || withinRelative(actual, expected, 0.01);
}
