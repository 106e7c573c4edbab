import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { tokenCommand } from '../../src/cli/token';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { startServer } from '../../src/server';

async function run(args: string[]): Promise<string> {
  let out = '';
  const io = {
    out: (text: string) => void (out += text),
    err: (text: string) => void (out += text),
    setExitCode: () => undefined,
  };
  await new Command('drift-server')
    .exitOverride()
    .addCommand(tokenCommand(io, {}))
    .parseAsync(['node', 'drift-server', ...args]);
  return out;
}

describe('drift-server token', () => {
  const directory = mkdtempSync(join(tmpdir(), 'driftguard-cli-'));
  const db = join(directory, 'tokens.duckdb');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('creates a token offline that the server then accepts with its scopes only; list and revoke work', async () => {
    const token = (await run(['token', 'create', '--scope', 'read', '--name', 'grafana', '--db', db])).trim();
    expect(token).toMatch(/^dg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await run(['token', 'list', '--db', db]);
    expect(listed).toMatch(/^[0-9a-f]{16}\tgrafana\tread\t\S+\tactive\n$/);
    expect(listed).not.toContain(token.slice('dg_0123456789abcdef_'.length));

    const server = await startServer(loadConfig({}, { dbPath: db, port: 0, host: '127.0.0.1' }), {
      logger: silentLogger,
    });
    try {
      const headers = { authorization: `Bearer ${token}` };
      expect((await fetch(`${server.url}/api/v1/models`, { headers })).status).toBe(200);
      expect((await fetch(`${server.url}/api/v1/models`, { method: 'POST', headers, body: '{}' })).status).toBe(403);
      const other = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'cli-entry.ts'), 'token', 'create', '--scope', 'admin', '--db', db],
        { encoding: 'utf8' }
      );
      expect(other.status).toBe(1);
      expect(other.stderr).toMatch(
        /in use by a running drift-server: stop it, or create the token with POST \/api\/v1\/tokens/
      );
      const second = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'cli-entry.ts'), 'serve', '--db', db, '--port', '0'],
        { encoding: 'utf8' }
      );
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`${db} is in use by another process`);
    } finally {
      await server.close();
    }
    const id = token.split('_')[1];
    expect(await run(['token', 'revoke', id, '--db', db])).toBe(`revoked ${id}\n`);
    expect(await run(['token', 'list', '--db', db])).toMatch(/\trevoked \S+\n$/);
  });

  it('refuses an unknown scope', async () => {
    await expect(run(['token', 'create', '--scope', 'root', '--db', db])).rejects.toThrow(
      /Allowed choices are read, ingest, operate, admin/
    );
  });
});
