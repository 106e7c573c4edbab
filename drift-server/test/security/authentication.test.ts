import { startTestServer, TestServer, TOKENS } from '../api/harness';

describe('failed authentications (#11)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '5' });
  });
  afterAll(() => t.stop());

  it('are limited per client address: past the limit every attempt, even with a valid token, gets 429 with Retry-After', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await t.json('/api/v1/models', { token: `dg_0123456789abcdef_${'x'.repeat(43)}` })).status).toBe(401);
    }
    const limited = await t.json('/api/v1/models', { token: TOKENS.read });
    expect(limited.status).toBe(429);
    expect(limited.response.headers.get('content-type')).toBe('application/problem+json');
    expect(limited.body).toMatchObject({
      type: 'https://driftguard.dev/problems/too-many-failed-authentications',
      status: 429,
    });
    expect(limited.body.detail).toMatch(/more than 5 failed authentications a minute came from 127\.0\.0\.1/);
    // One failure refills in 60/5 = 12 s.
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(11);
    expect(Number(limited.response.headers.get('retry-after'))).toBeLessThanOrEqual(12);
    // Signed routes count and are refused the same way.
    expect(
      (
        await t.json('/api/v1/retrain-jobs/5a1d2c3e-0000-4a43-9d7e-2f5d7f1f0a11/callback', {
          method: 'POST',
          token: null,
          body: '{}',
          headers: { 'x-driftguard-signature': 'v1=00' },
        })
      ).status
    ).toBe(429);
    // Routes without authentication stay open.
    expect((await t.call('/healthz')).status).toBe(200);
  });
});

describe('token verification', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ DRIFTGUARD_AUTH_FAILURES_PER_MINUTE: '0' });
  });
  afterAll(() => t.stop());

  it('takes the same work for an unknown token id as for a known id with a wrong secret (#11)', async () => {
    const { body: created } = await t.json('/api/v1/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'timing', scopes: ['read'] }),
      headers: { 'content-type': 'application/json' },
    });
    const known = `dg_${created.id}_${'A'.repeat(43)}`;
    const unknown = `dg_${'f'.repeat(16)}_${'A'.repeat(43)}`;
    const { store } = t.server;
    expect(await store.tokens.verify(known)).toBeUndefined();
    expect(await store.tokens.verify(created.token)).toMatchObject({ tokenId: created.id, scopes: ['read'] });
    // Interleaved samples of the same verification: the medians of the two cases must not tell them apart.
    const samples: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    for (let round = 0; round < 400; round += 1) {
      for (const [name, token] of (round % 2 === 0
        ? [
            ['known', known],
            ['unknown', unknown],
          ]
        : [
            ['unknown', unknown],
            ['known', known],
          ]) as ['known' | 'unknown', string][]) {
        const started = process.hrtime.bigint();
        await store.tokens.verify(token);
        samples[name].push(Number(process.hrtime.bigint() - started));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
    const ratio = median(samples.known) / median(samples.unknown);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });
});
