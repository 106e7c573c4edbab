#!/usr/bin/env node
// Type-checks and unit-tests both plugins against the OLDEST @grafana/data|ui|runtime|schema their
// plugin.json grafanaDependency admits (the current ones are what `npm test` uses). Grafana hands a
// plugin its own copies of these packages at run time, so the oldest supported Grafana's APIs are
// what the built plugins meet there.
//
// The old packages are installed under their own names into .compat/grafana-<version>/ inside the
// repository (gitignored, kept between runs), so that React, @types and jest still resolve from the
// repository's node_modules; tsc maps @grafana/* there with `paths`, jest with moduleNameMapper.
//
//   node .ci/grafana-compat.mjs            # the floor of grafanaDependency
//   node .ci/grafana-compat.mjs 12.0.0     # any other version
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLUGINS = ['datasource-plugin', 'panel-plugin'];
const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema'];
/**
 * Modules Grafana shares with plugins as single instances (public/app/features/plugins/loader/
 * sharedDependencies.ts), with their types: the old packages' own copies are removed so that these
 * resolve to the repository's, as one instance, the way a plugin meets them in Grafana.
 */
const SHARED = ['react', 'react-dom', 'rxjs', '@emotion/css', '@emotion/react', '@types/react', '@types/react-dom'];

function floorOfGrafanaDependency() {
  const floors = PLUGINS.map((folder) => {
    const { dependencies } = JSON.parse(readFileSync(path.join(REPO, folder, 'src', 'plugin.json'), 'utf8'));
    const floor = /^>=(\d+\.\d+\.\d+)$/.exec(dependencies.grafanaDependency)?.[1];
    if (!floor) throw new Error(`${folder}: grafanaDependency ${dependencies.grafanaDependency} is not ">=x.y.z"`);
    return floor;
  });
  if (new Set(floors).size !== 1) throw new Error(`the plugins' grafanaDependency floors differ: ${floors.join(', ')}`);
  return floors[0];
}

function run(command, args, options) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    console.error(`grafana-compat: ${command} ${args.join(' ')} failed (exit ${result.status}) after ${seconds} s`);
    process.exit(1);
  }
  return seconds;
}

const version = process.argv[2] ?? floorOfGrafanaDependency();
const directory = path.join(REPO, '.compat', `grafana-${version}`);
const modules = path.join(directory, 'node_modules');
const marker = path.join(directory, 'installed.json');
const manifest = {
  name: `driftguard-grafana-${version}`,
  private: true,
  description: `@grafana packages ${version}, for .ci/grafana-compat.mjs`,
  dependencies: Object.fromEntries(PACKAGES.map((name) => [name, version])),
  // As in the root package.json: @grafana/ui 12.x names react-data-grid by a GitHub tarball.
  overrides: { 'react-data-grid': 'npm:@grafana/react-data-grid@7.0.0-beta.57' },
};

if (!existsSync(marker) || readFileSync(marker, 'utf8') !== JSON.stringify(manifest)) {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Peer dependencies (React) are not installed: the repository's copies must be the only ones.
  const seconds = run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--no-package-lock', '--workspaces=false'], { cwd: directory });
  for (const name of SHARED) rmSync(path.join(modules, name), { recursive: true, force: true });
  writeFileSync(marker, JSON.stringify(manifest));
  const size = execFileSync('du', ['-sm', modules], { encoding: 'utf8' }).split('\t')[0];
  console.log(`grafana-compat: installed @grafana/* ${version} in ${seconds} s, ${size} MB`);
}

for (const folder of PLUGINS) {
  const plugin = path.join(REPO, folder);
  // tsc: the plugin's own settings, @grafana/* taken from the old packages.
  const tsconfig = path.join(directory, `tsconfig.${folder}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(plugin, 'tsconfig.json'),
      compilerOptions: {
        noEmit: true,
        baseUrl: plugin,
        paths: Object.fromEntries(PACKAGES.flatMap((name) => [[name, [path.join(modules, name)]], [`${name}/*`, [path.join(modules, name, '*')]]])),
        typeRoots: [path.join(plugin, 'node_modules', '@types'), path.join(REPO, 'node_modules', '@types')],
      },
      include: [path.join(plugin, 'src'), path.join(plugin, '.config', 'types')],
    })
  );
  const typecheck = run(path.join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: plugin });
  // jest: the plugin's unit suites, with every import of @grafana/* answered by the old packages.
  const jestConfig = path.join(directory, `jest.${folder}.config.js`);
  writeFileSync(
    jestConfig,
    `const base = require(${JSON.stringify(path.join(plugin, 'jest.config.js'))});
module.exports = {
  ...base,
  rootDir: ${JSON.stringify(plugin)},
  // Two plugins' suites after npm test on two shared cores: jsdom renders of @grafana/ui take seconds.
  testTimeout: 30000,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^(${PACKAGES.map((name) => name.replace('/', '\\/')).join('|')})$': ${JSON.stringify(modules)} + '/$1',
  },
};
`
  );
  const tests = run(path.join(REPO, 'node_modules', '.bin', 'jest'), ['--ci', '--maxWorkers', '2', '-c', jestConfig], { cwd: plugin });
  console.log(`grafana-compat: ${folder} against @grafana/* ${version}: typecheck ${typecheck} s, unit tests ${tests} s`);
}
