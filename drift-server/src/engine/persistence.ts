import { EngineInputError } from './errors';

/** A verdict that persists: drifted in this window and in at least k of the last m windows (this one included). */
export interface Persistence {
  readonly k: number;
  readonly m: number;
}

/**
 * What breach annotations (and alerts and recommendations built on them) act on: 2 of the last 3
 * windows. One window's verdict is wrong at the false-discovery rate; two of three both wrong
 * happens about 3·f² of the time, so at an hourly resolution a stable feature practically never
 * persists, while a real shift persists from its second window on.
 */
export const DEFAULT_PERSISTENCE: Persistence = { k: 2, m: 3 };

export function checkPersistence({ k, m }: Persistence): void {
  if (!(Number.isInteger(k) && Number.isInteger(m) && k >= 1 && m >= k)) {
    throw new EngineInputError(`persistence needs whole numbers 1 ≤ k ≤ m, got k = ${k}, m = ${m}`);
  }
}

/**
 * For each window of a chronological series of verdicts, whether it is drifted and at least k of
 * it and the m − 1 windows before it are. The first m − 1 windows of the series count only the
 * windows there are, so pass m − 1 earlier windows along to judge the first ones fully.
 */
export function persistentVerdicts(
  drifted: readonly boolean[],
  persistence: Persistence = DEFAULT_PERSISTENCE
): boolean[] {
  checkPersistence(persistence);
  const { k, m } = persistence;
  const result = new Array<boolean>(drifted.length);
  let inWindow = 0;
  for (let index = 0; index < drifted.length; index += 1) {
    if (drifted[index]) inWindow += 1;
    if (index >= m && drifted[index - m]) inWindow -= 1;
    result[index] = drifted[index] && inWindow >= k;
  }
  return result;
}
