// Every frame builder against a golden file, from drift-server's answers recorded with demo scenario 2
// (api-contract/recordings). A change in a builder's output fails here until `npm run goldens` (at the
// repository root) rewrites the goldens and the diff is reviewed.
import { DataFrame } from '@grafana/data';
import { AlertList, FeatureDetail, ModelSummary, Recommendation, RetrainJobList, Trends } from 'driftguard-api-contract';
import { asJson, golden } from 'driftguard-api-contract/test-support/goldens';
import { recorded } from 'driftguard-api-contract/test-support/recordings';
import path from 'node:path';
import { alertAnnotationFrame, driftBreachAnnotationFrame, retrainJobAnnotationFrame } from './annotations';
import { featureDetailFrames } from './featureDetail';
import { featureTableFrame } from './featureTable';
import { modelSummaryFrame } from './modelSummary';
import { recommendationFrame } from './recommendation';
import { retrainJobsFrame } from './retrainJobs';
import { featureTrendFrames, modelTrendFrame, volumeFrame } from './trends';

// Outside src/: the build copies every JSON file under src/ into the plugin.
const GOLDENS = path.resolve(__dirname, '../../goldens');

const summary = () => recorded<ModelSummary>('summary');
const dailyTrends = () => recorded<Trends>('trends-features-daily');
const modelTrends = () => recorded<Trends>('trends-model-daily');
const jobs = () => recorded<RetrainJobList>('retrain-jobs').jobs;

const CASES: Record<string, () => DataFrame[]> = {
  'model-summary': () => [modelSummaryFrame(summary())],
  'feature-table': () => [featureTableFrame(summary().model_id, summary().features)],
  'feature-detail-numeric': () => featureDetailFrames(recorded<FeatureDetail>('feature-income')),
  'feature-detail-categorical': () => featureDetailFrames(recorded<FeatureDetail>('feature-employment-type')),
  'trends-volume': () => [volumeFrame(dailyTrends())],
  'trends-psi': () => featureTrendFrames(dailyTrends(), 'psi'),
  'trends-psi-critical': () => featureTrendFrames(dailyTrends(), 'psi_critical'),
  'trends-health': () => [modelTrendFrame(modelTrends(), 'health')],
  'trends-estimated-accuracy': () => [modelTrendFrame(modelTrends(), 'estimated_accuracy')],
  recommendation: () => [recommendationFrame(recorded<Recommendation>('recommendation'))],
  'retrain-jobs': () => [retrainJobsFrame(summary().model_id, jobs())],
  'annotations-drift-breaches': () => [driftBreachAnnotationFrame(recorded<Trends>('trends-income-hourly'))],
  'annotations-retrain-jobs': () => [retrainJobAnnotationFrame(jobs())],
  'annotations-alerts': () => [alertAnnotationFrame(recorded<AlertList>('alerts').alerts)],
};

describe('frame builders on recorded drift-server answers', () => {
  it.each(Object.keys(CASES))('%s matches its golden file', (name) => {
    const frames = asJson(CASES[name]());
    expect(frames).toEqual(golden(path.join(GOLDENS, `${name}.json`), frames));
  });
});
