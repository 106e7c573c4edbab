import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `npm run goldens` (repository root) sets this: the golden tests write what they compute. */
const UPDATING = process.env.UPDATE_GOLDENS === '1';

/** A value as a golden file holds it: its JSON, so undefined fields and functions are not compared. */
export function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/**
 * The golden file's content, to compare with `asJson(actual)`. With UPDATE_GOLDENS=1 the file is
 * first rewritten from `actual`; otherwise a missing file is an error naming the command.
 */
export function golden(file: string, actual: unknown): unknown {
  if (UPDATING) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  } else if (!existsSync(file)) {
    throw new Error(`${file} does not exist: run \`npm run goldens\` at the repository root and review the diff`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
