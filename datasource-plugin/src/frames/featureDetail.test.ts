import { FeatureDetail } from '../api/types';
import { statisticsFrame } from './featureDetail';

function detail(coverage: FeatureDetail['coverage']): FeatureDetail {
  return {
    model_id: 'credit-risk',
    drift: {} as FeatureDetail['drift'],
    stats: { reference: { count: 2000, mean: 1 }, production: { count: 1200, mean: 2 } },
    coverage,
  } as FeatureDetail;
}

describe('statistics frame', () => {
  it("carries drift-server's coverage note as a warning notice when raw rows cover less than the window", () => {
    const note = "KS and the descriptive statistics rest on 1,200 of the window's 2,400 production rows …";
    expect(statisticsFrame(detail({ complete: false, note })).meta?.notices).toEqual([{ severity: 'warning', text: note }]);
  });

  it('has no notice when every figure rests on the same rows, or the server predates coverage', () => {
    expect(statisticsFrame(detail({ complete: true, note: null })).meta?.notices).toEqual([]);
    expect(statisticsFrame(detail(undefined)).meta?.notices).toEqual([]);
  });
});
