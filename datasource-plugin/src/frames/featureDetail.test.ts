import { FeatureDetail } from 'driftguard-api-contract';
import { recorded } from 'driftguard-api-contract/test-support/recordings';
import { statisticsFrame } from './featureDetail';

/** The recorded detail of income (demo scenario 2) with its coverage replaced. */
function detail(coverage: Pick<FeatureDetail['coverage'], 'complete' | 'note'>): FeatureDetail {
  const income = recorded<FeatureDetail>('feature-income');
  return { ...income, coverage: { ...income.coverage, ...coverage } };
}

describe('statistics frame', () => {
  it("carries drift-server's coverage note as a warning notice when raw rows cover less than the window", () => {
    const note = "KS and the descriptive statistics rest on 1,200 of the window's 2,400 production rows …";
    expect(statisticsFrame(detail({ complete: false, note })).meta?.notices).toEqual([{ severity: 'warning', text: note }]);
  });

  it('has no notice when every figure rests on the same rows', () => {
    expect(statisticsFrame(detail({ complete: true, note: null })).meta?.notices).toEqual([]);
  });
});
