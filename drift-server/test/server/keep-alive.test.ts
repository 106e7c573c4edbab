import http from 'node:http';
import { startTestServer, TestServer, TOKENS } from '../api/harness';

/**
 * Idle keep-alive connections outlive those of the clients that pool them: Grafana's data proxy
 * keeps one idle for 90 s (grafana/grafana conf/defaults.ini, [dataproxy] idle_conn_timeout_seconds),
 * so the server must not close it first.
 */
describe('keep-alive connections', () => {
  let t: TestServer;
  afterEach(() => t.stop());

  /** GET on the agent's pooled connection: the status, the Keep-Alive header, and whether the socket was one already used. */
  function get(
    agent: http.Agent,
    path: string
  ): Promise<{ status: number; keepAlive: string | undefined; reused: boolean }> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${t.server.url}${path}`,
        { agent, headers: { authorization: `Bearer ${TOKENS.read}` } },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              keepAlive: response.headers['keep-alive'] as string | undefined,
              reused: request.reusedSocket,
            })
          );
        }
      );
      request.on('error', reject);
    });
  }

  it('announces 95 s and keeps an idle connection open past Node’s own 5 s, so a pooling proxy can reuse it', async () => {
    t = await startTestServer();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(agent, '/healthz')).toEqual({ status: 200, keepAlive: 'timeout=95', reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get(agent, '/api/v1/models')).toEqual({ status: 200, keepAlive: 'timeout=95', reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('takes its idle limit from DRIFTGUARD_KEEP_ALIVE_SECONDS', async () => {
    t = await startTestServer({ DRIFTGUARD_KEEP_ALIVE_SECONDS: '120' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await get(agent, '/healthz')).keepAlive).toBe('timeout=120');
    } finally {
      agent.destroy();
    }
  });
});
