import { HealthProbe } from '../../src/store/health-probe';

/** A check the test answers or fails by hand, so every state of a probe can be reached. */
function manualCheck() {
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  return {
    check: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
    answer: () => pending.shift()!.resolve(),
    fail: (message: string) => pending.shift()!.reject(new Error(message)),
    get calls() {
      return pending.length;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HealthProbe', () => {
  let now = 0;
  const clock = () => now;

  it('is healthy once the first probe answers, with the age of that answer', async () => {
    const manual = manualCheck();
    const probe = new HealthProbe(manual.check, { intervalMs: 60_000, timeoutMs: 1000, clock });
    now = 1000;
    const started = probe.start();
    manual.answer();
    await started;
    now = 1250;
    expect(probe.state()).toEqual({ healthy: true, checkedAgoMs: 250 });
    await probe.stop();
  });

  it('is unhealthy with the failure while the last probe failed, and healthy again after one answers', async () => {
    const manual = manualCheck();
    const probe = new HealthProbe(manual.check, { intervalMs: 1, timeoutMs: 1000, clock });
    now = 0;
    const started = probe.start();
    manual.answer();
    await started;
    while (manual.calls === 0) await settle();
    now = 10;
    manual.fail('disk I/O error\nsecond line');
    await settle();
    expect(probe.state()).toEqual({ healthy: false, detail: 'disk I/O error', checkedAgoMs: 10 });
    while (manual.calls === 0) await settle();
    manual.answer();
    await settle();
    expect(probe.state()).toEqual({ healthy: true, checkedAgoMs: 0 });
    await probe.stop();
  });

  it('is unhealthy while a probe has run longer than the timeout, though the one before answered', async () => {
    const manual = manualCheck();
    const probe = new HealthProbe(manual.check, { intervalMs: 1, timeoutMs: 1000, clock });
    now = 0;
    const started = probe.start();
    manual.answer();
    await started;
    while (manual.calls === 0) await settle();
    now = 1000;
    expect(probe.state().healthy).toBe(true);
    now = 1500;
    expect(probe.state()).toEqual({
      healthy: false,
      detail: expect.stringMatching(/has not answered a health probe for \d+ ms \(limit 1000 ms\)/),
      checkedAgoMs: 1500,
    });
    manual.answer();
    await settle();
    expect(probe.state().healthy).toBe(true);
    await probe.stop();
  });

  it('is unhealthy once stopped, and stopping waits for the probe under way', async () => {
    const manual = manualCheck();
    const probe = new HealthProbe(manual.check, { intervalMs: 1, timeoutMs: 1000, clock });
    const started = probe.start();
    manual.answer();
    await started;
    while (manual.calls === 0) await settle();
    let stopped = false;
    const stopping = probe.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    manual.answer();
    await stopping;
    expect(probe.state()).toMatchObject({ healthy: false, detail: 'the database is closed' });
    await settle();
    expect(manual.calls).toBe(0);
  });
});
