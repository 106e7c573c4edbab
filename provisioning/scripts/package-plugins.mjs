#!/usr/bin/env node
// Zips built Grafana plugins for installing into an existing Grafana: one <id>-<version>.zip per
// plugin with a top folder named after the plugin id (Grafana's layout), and SHA256SUMS beside them.
// Usage: package-plugins.mjs [--out DIR] [PLUGIN_DIST_DIR...]
// Defaults: both DriftGuard plugins' dist/ folders, into dist/plugins/ at the repository root.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_PLUGINS = ['datasource-plugin/dist', 'panel-plugin/dist'].map((folder) => path.join(REPO, folder));
// A fixed timestamp makes the same build give the same bytes, so checksums can be compared.
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

function filesUnder(directory, prefix) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    const name = `${prefix}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(full, name) : [[name, full]];
  });
}

function packagePlugin(distDirectory, outDirectory) {
  const manifest = path.join(distDirectory, 'plugin.json');
  if (!fs.existsSync(manifest))
    throw new Error(`${manifest} not found: build the plugin first (npm run build -w <plugin id>)`);
  const { id, info } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (!info?.version || info.version.includes('%'))
    throw new Error(`${manifest} has no built version: build the plugin first`);
  const entries = Object.fromEntries(
    filesUnder(distDirectory, id)
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([name, full]) => [name, [fs.readFileSync(full), { mtime: FIXED_MTIME }]])
  );
  const zipName = `${id}-${info.version}.zip`;
  const bytes = zipSync(entries, { level: 9 });
  fs.writeFileSync(path.join(outDirectory, zipName), bytes);
  return `${createHash('sha256').update(bytes).digest('hex')}  ${zipName}`;
}

function main(argv) {
  const outIndex = argv.indexOf('--out');
  const outDirectory = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : path.join(REPO, 'dist/plugins');
  const given = argv.filter((_, index) => index !== outIndex && index !== outIndex + 1);
  const plugins = given.length > 0 ? given.map((folder) => path.resolve(folder)) : DEFAULT_PLUGINS;
  fs.mkdirSync(outDirectory, { recursive: true });
  const sums = plugins.map((folder) => packagePlugin(folder, outDirectory));
  fs.writeFileSync(path.join(outDirectory, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  process.stdout.write(
    `${sums.map((line) => `${outDirectory}/${line.split('  ')[1]}`).join('\n')}\n${outDirectory}/SHA256SUMS\n`
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`package-plugins: ${error.message}\n`);
  process.exitCode = 1;
}
