import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { repoPath } from './support/files';

const SINK = 'provisioning/webhook-sink/server.mjs';

describe(SINK, () => {
  let sink: ChildProcess;
  let url: string;

  beforeAll(async () => {
    sink = spawn(process.execPath, [repoPath(SINK)], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(sink.stdout!, 'data')) as [Buffer];
    url = `http://127.0.0.1:${/listening on (\d+)/.exec(chunk.toString())?.[1]}`;
  });

  afterAll(() => {
    sink.kill();
  });

  it('accepts a notification, logs it as a JSON line and lists it newest first', async () => {
    const logged = once(sink.stdout!, 'data');
    const response = await fetch(`${url}/slack`, { method: 'POST', body: JSON.stringify({ text: 'PSI above 0.2' }) });
    expect(response.status).toBe(200);
    const [line] = (await logged) as [Buffer];
    expect(JSON.parse(line.toString())).toMatchObject({
      method: 'POST',
      path: '/slack',
      body: { text: 'PSI above 0.2' },
    });
    await fetch(`${url}/pagerduty`, { method: 'POST', body: 'not json' });
    const listed = (await (await fetch(url)).json()) as { path: string; body: unknown }[];
    expect(listed.slice(0, 2).map(({ path, body }) => ({ path, body }))).toEqual([
      { path: '/pagerduty', body: 'not json' },
      { path: '/slack', body: { text: 'PSI above 0.2' } },
    ]);
  });
});
