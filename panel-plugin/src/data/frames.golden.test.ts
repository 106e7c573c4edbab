// What the panel reads from the data source's frames, against golden files. The frames are the data
// source's own goldens (datasource-plugin/goldens, built from drift-server's answers
// recorded with demo scenario 2), so the two plugins are held to the same recorded answers; the job
// list the panel fetches itself is the recorded /retrain-jobs answer. `npm run goldens` at the
// repository root rewrites both plugins' goldens, the data source's first.
import { DataFrame } from '@grafana/data';
import { RetrainJobList } from 'driftguard-api-contract';
import { asJson, golden } from 'driftguard-api-contract/test-support/goldens';
import { recorded } from 'driftguard-api-contract/test-support/recordings';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDriftFrames } from './frames';
import { jobFromApi } from './retrainJobs';

// Outside src/: the build copies every JSON file under src/ into the plugin.
const GOLDENS = path.resolve(__dirname, '../../goldens');
const DATA_SOURCE_GOLDENS = path.resolve(__dirname, '../../../datasource-plugin/goldens');

function dataSourceFrames(...names: string[]): DataFrame[] {
  return names.flatMap((name) => JSON.parse(readFileSync(path.join(DATA_SOURCE_GOLDENS, `${name}.json`), 'utf8')));
}

function read(...names: string[]) {
  const { psiTrends, ...rest } = readDriftFrames(dataSourceFrames(...names));
  return { ...rest, psiTrends: Object.fromEntries(psiTrends) };
}

const CASES: Record<string, () => unknown> = {
  'features-with-psi-trends': () => read('feature-table', 'trends-psi'),
  'feature-detail-numeric': () => read('feature-detail-numeric'),
  'feature-detail-categorical': () => read('feature-detail-categorical'),
  'summary-and-recommendation': () => read('model-summary', 'recommendation'),
  'retrain-jobs-frame': () => read('retrain-jobs'),
  'retrain-jobs-api': () => recorded<RetrainJobList>('retrain-jobs').jobs.map(jobFromApi),
  // Frames the panel does not read (volume, health, annotations) leave it with nothing.
  'frames-it-ignores': () => read('trends-volume', 'trends-health', 'annotations-alerts'),
};

describe("the panel's reading of the data source's frames", () => {
  it.each(Object.keys(CASES))('%s matches its golden file', (name) => {
    const view = asJson(CASES[name]());
    expect(view).toEqual(golden(path.join(GOLDENS, `${name}.json`), view));
  });

  it("lists the same jobs from the data source's retrainJobs frame as from its job list (drift-server's JSON)", () => {
    expect(read('retrain-jobs').jobs).toEqual(CASES['retrain-jobs-api']());
  });
});
