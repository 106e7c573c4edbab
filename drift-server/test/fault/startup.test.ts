import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelBody, rows, toCsv } from '../api/data';
import { runCli } from '../support/cli';
import { runChild, startChild } from './child-server';

/** `drift-server serve` refuses to start with one line naming the problem, and touches nothing it need not (#12). */
describe('drift-server serve at startup', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-startup-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('binds the port before opening the database: a port in use is one line naming it, and no database file is created', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const dbPath = join(directory, 'never.duckdb');
    try {
      const run = await runChild(dbPath, ['--port', String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `drift-server: port ${port} on 127.0.0.1 is already in use; stop what holds it or choose another (DRIFTGUARD_PORT, --port)\n`
      );
      expect(existsSync(dbPath)).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('names DRIFTGUARD_DUCKDB_MEMORY_LIMIT when it is no size', async () => {
    const run = await runChild(join(directory, 'memory.duckdb'), ['--port', '0'], {
      DRIFTGUARD_DUCKDB_MEMORY_LIMIT: 'lots',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^drift-server: DRIFTGUARD_DUCKDB_MEMORY_LIMIT must be a size of at least 16MiB such as 256MB or 1GiB .*got "lots"\n$/
    );
  });

  it('refuses a database file with a damaged block instead of serving ok while every data route fails', async () => {
    const dbPath = join(directory, 'damaged.duckdb');
    const name = `needle-${Array.from({ length: 96 }, (_, index) => ((index * 7919) % 36).toString(36)).join('')}`;
    const server = await startChild(dbPath);
    expect(
      (
        await server.call('/api/v1/models', {
          method: 'POST',
          body: JSON.stringify({ ...modelBody('damaged'), name }),
          headers: { 'content-type': 'application/json' },
        })
      ).status
    ).toBe(201);
    expect(
      (
        await server.call('/api/v1/models/damaged/references', {
          method: 'POST',
          body: toCsv(rows(2000, 1)),
          headers: { 'content-type': 'text/csv' },
        })
      ).status
    ).toBe(201);
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const bytes = readFileSync(dbPath);
    const offset = bytes.indexOf(name);
    expect(offset).toBeGreaterThan(0);
    const descriptor = openSync(dbPath, 'r+');
    writeSync(descriptor, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(offset / 4096) * 4096);
    closeSync(descriptor);

    const damaged = new RegExp(
      `^drift-server: the database ${dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: .*(checksum|Corrupt).*; restore it from a backup\\n$`,
      'i'
    );
    const run = await runChild(dbPath, ['--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(damaged);
    expect(run.stdout).not.toMatch(/"message":"listening"/);
    // report and demo open the database through the same composition root, so they refuse it alike.
    const report = runCli([
      'report',
      '--db',
      dbPath,
      '--model',
      'damaged',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-02',
      '--format',
      'csv',
      '-o',
      join(directory, 'never.csv'),
    ]);
    expect(report).toMatchObject({ status: 1, stderr: expect.stringMatching(damaged) });
    expect(existsSync(join(directory, 'never.csv'))).toBe(false);
    const demo = runCli(['demo', '--scenario', '1', '--db', dbPath, '--no-serve']);
    expect(demo).toMatchObject({ status: 1, stderr: expect.stringMatching(damaged) });
  });
});
