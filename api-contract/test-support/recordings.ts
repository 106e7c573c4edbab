import { readFileSync } from 'node:fs';
import path from 'node:path';

/** drift-server's answers recorded by `npm run record -w driftguard-api-contract` (scripts/record.ts). */
export const RECORDINGS_DIR = path.resolve(__dirname, '..', 'recordings');

export interface Recording<Body = unknown> {
  request: { method: 'GET' | 'POST'; path: string; query: Record<string, string> };
  status: number;
  body: Body;
}

/** The recorded body of one answer, typed by the caller with the contract's type of that route. */
export function recorded<Body>(name: string): Body {
  return (JSON.parse(readFileSync(path.join(RECORDINGS_DIR, `${name}.json`), 'utf8')) as Recording<Body>).body;
}
