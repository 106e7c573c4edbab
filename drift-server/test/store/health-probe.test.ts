import { HealthProbe } from '../../src/store/health-probe';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HealthProbe', () => {
  let now = 0;
  const clock = () => now;

  /**
   * A probe over a check the test answers or fails by hand, so every state can be reached: started,
   * its first probe answered at `now`, and the next one under way.
   */
  async function answeredProbe() {
    const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const check = () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    const probe = new HealthProbe(check, { intervalMs: 1, timeoutMs: 1000, clock });
    const started = probe.start();
    pending.shift()!.resolve();
    await started;
    const nextProbe = async () => {
      while (pending.length === 0) await settle();
    };
    await nextProbe();
    return {
      probe,
      answer: async () => {
        pending.shift()!.resolve();
        await settle();
      },
      fail: async (message: string) => {
        pending.shift()!.reject(new Error(message));
        await settle();
      },
      nextProbe,
      pendingProbes: () => pending.length,
      /** Stops the probe, answering the one under way. */
      finish: async () => {
        const stopping = probe.stop();
        for (const { resolve } of pending.splice(0)) resolve();
        await stopping;
      },
    };
  }

  it('is healthy once the first probe answers, with the age of that answer', async () => {
    now = 1000;
    const { probe, finish } = await answeredProbe();
    now = 1250;
    expect(probe.state()).toEqual({ healthy: true, checkedAgoMs: 250 });
    await finish();
  });

  it('is unhealthy with the failure while the last probe failed, and healthy again after one answers', async () => {
    now = 0;
    const { probe, answer, fail, nextProbe, finish } = await answeredProbe();
    now = 10;
    await fail('disk I/O error\nsecond line');
    expect(probe.state()).toEqual({ healthy: false, detail: 'disk I/O error', checkedAgoMs: 10 });
    await nextProbe();
    await answer();
    expect(probe.state()).toEqual({ healthy: true, checkedAgoMs: 0 });
    await finish();
  });

  it('is unhealthy while a probe has run longer than the timeout, though the one before answered', async () => {
    now = 0;
    const { probe, answer, finish } = await answeredProbe();
    now = 1000;
    expect(probe.state().healthy).toBe(true);
    now = 1500;
    expect(probe.state()).toEqual({
      healthy: false,
      detail: expect.stringMatching(/has not answered a health probe for \d+ ms \(limit 1000 ms\)/),
      checkedAgoMs: 1500,
    });
    await answer();
    expect(probe.state().healthy).toBe(true);
    await finish();
  });

  it('is unhealthy once stopped, and stopping waits for the probe under way', async () => {
    const { probe, answer, pendingProbes } = await answeredProbe();
    let stopped = false;
    const stopping = probe.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    await answer();
    await stopping;
    expect(probe.state()).toMatchObject({ healthy: false, detail: 'the database is closed' });
    await settle();
    expect(pendingProbes()).toBe(0);
  });
});
