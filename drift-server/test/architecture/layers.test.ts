import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/cli';

/**
 * The layer rules in .dependency-cruiser.cjs, run the way `npm run lint:layers` runs them, on small
 * source trees: one that keeps them, one that breaks each rule once, which they must refuse by name.
 */
const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
/** The package's command line as npm links it (the package exports no path to it), in the workspace or at the root. */
const DEPCRUISE =
  [ROOT, path.dirname(ROOT)]
    .map((dir) => path.join(dir, 'node_modules', '.bin', 'depcruise'))
    .find((bin) => fs.existsSync(bin)) ?? 'depcruise';

function cruise(cwd: string) {
  const result = spawnSync(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('layer rules', () => {
  const { dir, cleanup } = tempDir('driftguard-layers-');
  afterAll(cleanup);

  /** A source tree of the given files (path → content) with the tsconfig the rules resolve through. */
  function tree(name: string, files: Record<string, string>): string {
    const root = path.join(dir, name);
    for (const [file, content] of Object.entries({
      'tsconfig.build.json':
        '{"compilerOptions": {"module": "nodenext", "moduleResolution": "nodenext"}, "include": ["src"]}',
      ...files,
    })) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  }
  const layered = {
    'src/stats/index.ts': "export { mean } from './mean';\n",
    'src/stats/mean.ts': 'export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;\n',
    'src/engine/index.ts': "import { mean } from '../stats';\nexport const score = (xs: number[]) => mean(xs);\n",
  };

  // drift-server's own sources are checked by `npm run lint:layers`, which test:ci runs before jest.
  it('pass on a tree that keeps them', () => {
    expect(cruise(tree('clean', layered))).toMatchObject({ status: 0 });
  });

  it('refuse, each by name, an upward import, an import past a layer’s index, a leaf importing a layer and a cycle', () => {
    const result = cruise(
      tree('broken', {
        ...layered,
        'src/stats/mean.ts':
          "import { score } from '../engine';\nexport const mean = (xs: number[]): number => (xs.length > 9 ? score(xs) : xs[0]);\n",
        'src/engine/index.ts':
          "import { mean } from '../stats/mean';\nexport const score = (xs: number[]) => mean(xs);\n",
        'src/config.ts': "import { score } from './engine';\nexport const limit = score([1]);\n",
        'src/engine/a.ts': "import { b } from './b';\nexport const a = () => b();\n",
        'src/engine/b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
      })
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/error layer-stats: src\/stats\/mean\.ts → src\/engine\/index\.ts/);
    expect(result.output).toMatch(/error through-the-index: src\/engine\/index\.ts → src\/stats\/mean\.ts/);
    expect(result.output).toMatch(/error leaves-are-leaves: src\/config\.ts → src\/engine\/index\.ts/);
    expect(result.output).toMatch(/error no-cycles: src\/engine\/(a|b)\.ts/);
  });

  it('keep the composition root between api and server.ts: neither api nor the composition may reach above it', () => {
    const result = cruise(
      tree('composition', {
        ...layered,
        'src/api/index.ts': "import { openCore } from '../composition';\nexport const app = () => openCore();\n",
        'src/composition/index.ts':
          "import { serve } from '../server';\nexport const openCore = (): number => serve();\nexport const core = 1;\n",
        'src/server.ts': "import { core } from './composition';\nexport const serve = () => core;\n",
      })
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/error layer-api: src\/api\/index\.ts → src\/composition\/index\.ts/);
    expect(result.output).toMatch(/error layer-composition: src\/composition\/index\.ts → src\/server\.ts/);
  });

  it('keep a released migration frozen: it may import the database and SQL helpers, nothing that follows the newest schema', () => {
    const store = {
      'src/store/index.ts': "export { openMigrated } from './migrations';\n",
      'src/store/database.ts': 'export interface Connection { run(sql: string): Promise<void> }\n',
      'src/store/sql.ts': 'export const quoteIdentifier = (name: string) => `"${name}"`;\n',
      'src/store/calibration.ts': 'export const fitOf = (text: string) => text.length;\n',
      'src/store/ingest/accuracy-sums.ts': 'export const sumsOf = (rows: number[]) => rows.length;\n',
      'src/store/migrations/v5-backfill.ts':
        "import type { Connection } from '../database';\nimport { quoteIdentifier } from '../sql';\nexport const backfill = (c: Connection) => c.run(quoteIdentifier('t'));\n",
      'src/store/migrations/index.ts':
        "import { backfill } from './v5-backfill';\nexport const openMigrated = () => backfill;\n",
    };
    expect(cruise(tree('frozen', { ...layered, ...store }))).toMatchObject({ status: 0 });
    const result = cruise(
      tree('thawed', {
        ...layered,
        ...store,
        'src/store/migrations/v5-backfill.ts':
          "import type { Connection } from '../database';\nimport { fitOf } from '../calibration';\nimport { sumsOf } from '../ingest/accuracy-sums';\nexport const backfill = (c: Connection) => c.run(`${fitOf('x')}${sumsOf([1])}`);\n",
      })
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(
      /error migrations-are-frozen: src\/store\/migrations\/v5-backfill\.ts → src\/store\/calibration\.ts/
    );
    expect(result.output).toMatch(
      /error migrations-are-frozen: src\/store\/migrations\/v5-backfill\.ts → src\/store\/ingest\/accuracy-sums\.ts/
    );
  });
});
