import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { readJson, repoPath } from './support/files';

const SCRIPT = repoPath('provisioning/scripts/package-plugins.mjs');

function run(args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
}

describe('npm run package', () => {
  let work: string;
  let dist: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-package-'));
    dist = path.join(work, 'dist');
    fs.mkdirSync(path.join(dist, 'img'), { recursive: true });
    fs.writeFileSync(
      path.join(dist, 'plugin.json'),
      JSON.stringify({ id: 'driftguard-drift-panel', type: 'panel', info: { version: '1.2.3' } })
    );
    fs.writeFileSync(path.join(dist, 'module.js'), 'define([], () => ({}));');
    fs.writeFileSync(path.join(dist, 'img', 'logo.svg'), '<svg/>');
  });

  afterEach(() => fs.rmSync(work, { recursive: true }));

  it('runs the packaging script after building both plugins', () => {
    const script = readJson<{ scripts: Record<string, string> }>('package.json').scripts.package;
    expect(script).toBe(
      'npm run build -w driftguard-drift-datasource -w driftguard-drift-panel && node provisioning/scripts/package-plugins.mjs'
    );
  });

  it('zips a plugin under a top folder named after its id, with a SHA-256 checksum', () => {
    const out = path.join(work, 'out');
    const result = run(['--out', out, dist]);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const zip = fs.readFileSync(path.join(out, 'driftguard-drift-panel-1.2.3.zip'));
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      'driftguard-drift-panel/img/logo.svg',
      'driftguard-drift-panel/module.js',
      'driftguard-drift-panel/plugin.json',
    ]);
    expect(Buffer.from(files['driftguard-drift-panel/img/logo.svg']).toString()).toBe('<svg/>');
    const sha256 = createHash('sha256').update(zip).digest('hex');
    expect(fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8')).toBe(`${sha256}  driftguard-drift-panel-1.2.3.zip\n`);
  });

  it('gives the same bytes for the same build', () => {
    run(['--out', path.join(work, 'first'), dist]);
    run(['--out', path.join(work, 'second'), dist]);
    const sums = ['first', 'second'].map((folder) => fs.readFileSync(path.join(work, folder, 'SHA256SUMS'), 'utf8'));
    expect(sums[0]).toBe(sums[1]);
  });

  it('refuses a plugin that was not built', () => {
    fs.rmSync(path.join(dist, 'plugin.json'));
    const result = run(['--out', path.join(work, 'out'), dist]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('build the plugin first');
  });
});
