import { inputSeries, promtoolValues } from './support/alert-timeline';

describe("scraped series in promtool's notation", () => {
  it('writes runs of one value as vxN, a missing scrape as _, and stale where a series disappears', () => {
    expect(promtoolValues('driftguard_model_health_score', [42, 42, 42, 40.5], 0)).toBe('42x2 40.5');
    expect(
      promtoolValues(
        'driftguard_model_health_score',
        [undefined, undefined, 7, 7, undefined, undefined, undefined, 8],
        0
      )
    ).toBe('_x2 7x1 stale _x2 8');
    expect(promtoolValues('driftguard_model_health_score', [1, undefined, 1], 0)).toBe('1 stale 1');
  });

  it("moves timestamp values to promtool's time origin, so time() - x reads the same ages", () => {
    const startMs = Date.UTC(2026, 2, 10);
    expect(
      promtoolValues(
        'driftguard_model_last_prediction_timestamp_seconds',
        [startMs / 1000 - 30, startMs / 1000 + 60],
        startMs
      )
    ).toBe('-30 60');
    expect(promtoolValues('driftguard_model_stale_after_seconds', [600, 600], startMs)).toBe('600x1');
  });

  it('gives one input series per scraped series, named as scraped', () => {
    const scraped = {
      minutes: 1,
      series: new Map([
        ['driftguard_model_health_score{instance="drift-server:8080",job="driftguard",model="m"}', [50, 50]],
      ]),
    };
    expect(inputSeries(scraped, 0)).toEqual([
      {
        series: 'driftguard_model_health_score{instance="drift-server:8080",job="driftguard",model="m"}',
        values: '50x1',
      },
    ]);
  });
});
