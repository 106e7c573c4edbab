import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface OracleCase {
  readonly name: string;
  readonly kind: string;
  readonly buckets: number | null;
  readonly reference: (number | string | null)[];
  readonly production: (number | string | null)[];
  readonly expected: Record<string, unknown>;
}

/**
 * The numpy/scipy reference vectors shared by every checkout; DRIFT_ORACLE points at another
 * file generated the same way (other seeds) to run the same checks on it.
 */
export function oraclePath(): string {
  return process.env.DRIFT_ORACLE ?? path.resolve(__dirname, '../../../../shared/oracle/drift-vectors.json');
}

export function loadOracleCases(): OracleCase[] {
  const file = oraclePath();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`oracle vectors not found at ${file} (set DRIFT_ORACLE): ${(error as Error).message}`);
  }
  const cases = (JSON.parse(text) as { cases?: OracleCase[] }).cases;
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${file} holds no cases`);
  return cases;
}
