import { QueryCache } from '../../src/engine';
import { estimatedJsonLength } from '../../src/engine/query-cache';
import { seededRandom } from './data';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('QueryCache', () => {
  it('computes once for repeated and concurrent identical keys', async () => {
    const cache = new QueryCache(1000);
    let runs = 0;
    const compute = async () => ({ run: ++runs });
    const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    expect(a).toBe(b);
    expect(await cache.get('k', compute)).toEqual({ run: 1 });
    expect(runs).toBe(1);
  });

  it('drops the least recently used results beyond its size budget', async () => {
    const cache = new QueryCache(100);
    const computed: string[] = [];
    // Each result is 20 characters of JSON, so five fill the budget.
    const value = (key: string) => () => {
      computed.push(key);
      return Promise.resolve(key.repeat(18));
    };
    for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.get(key, value(key));
    await settle();
    await cache.get('a', value('a'));
    await cache.get('f', value('f'));
    await settle();
    await cache.get('a', value('a'));
    await cache.get('c', value('c'));
    await cache.get('b', value('b'));
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'b']);
  });

  it('keeps neither failures nor results larger than a quarter of the budget', async () => {
    const cache = new QueryCache(100);
    let runs = 0;
    await expect(cache.get('f', () => Promise.reject(new Error(`failure ${++runs}`)))).rejects.toThrow('failure 1');
    await settle();
    await expect(cache.get('f', () => Promise.reject(new Error(`failure ${++runs}`)))).rejects.toThrow('failure 2');
    const big = () => Promise.resolve({ run: ++runs, pad: 'x'.repeat(40) });
    await cache.get('big', big);
    await settle();
    await cache.get('big', big);
    expect(runs).toBe(4);
  });

  it('passes straight through with a zero budget', async () => {
    const cache = new QueryCache(0);
    let runs = 0;
    await cache.get('k', async () => ++runs);
    await cache.get('k', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('estimates the JSON length of results within a few percent without writing them out', () => {
    const random = seededRandom(5);
    const hours = Array.from({ length: 2_160 }, (_, hour) =>
      new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000).toISOString()
    );
    const trend = {
      model_id: 'credit-risk',
      interval_ms: 3_600_000,
      volume: hours.map((time) => ({ time, predictions: Math.floor(random() * 5_000) })),
      series: [
        {
          feature: 'income',
          kind: 'numeric',
          points: hours.map((time) => ({
            time,
            psi: random() / 10,
            js: random() / 5,
            kl: null,
            severity: 'ok',
            production_rows: 4_000,
          })),
        },
      ],
      empty: [],
      flag: true,
    };
    const exact = JSON.stringify(trend).length;
    expect(Math.abs(estimatedJsonLength(trend) - exact) / exact).toBeLessThan(0.05);
    for (const value of ['plain text', null, true, false, [], {}, ['a', 'b'], { a: 'b' }]) {
      expect(estimatedJsonLength(value)).toBe(JSON.stringify(value).length);
    }
  });
});
