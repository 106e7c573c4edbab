import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkedIn, DOCUMENT_FILE } from '../scripts/contract';
import {
  ACTIVE_RETRAIN_JOB_STATUSES,
  isActiveRetrainJobStatus,
  RETRAIN_JOB_STATUSES,
  SEVERITIES,
  SEVERITY_PALETTE,
} from '../src';

const schemas = JSON.parse(checkedIn(DOCUMENT_FILE)).components.schemas;

test('the job statuses are the enum of RetrainJob.status, and the active ones are those its description calls active', () => {
  const status = schemas.RetrainJob.properties.status;
  assert.deepEqual([...RETRAIN_JOB_STATUSES].sort(), [...status.enum].sort());
  const named = /; (.+) are active/.exec(status.description)?.[1];
  assert.ok(named, `RetrainJob.status's description no longer says which statuses are active: ${status.description}`);
  assert.deepEqual([...ACTIVE_RETRAIN_JOB_STATUSES].sort(), named.split(/, | and /).sort());
  assert.equal(isActiveRetrainJobStatus('running'), true);
  assert.equal(isActiveRetrainJobStatus('succeeded'), false);
  assert.equal(isActiveRetrainJobStatus('unknown'), false);
});

test('the palette covers exactly the severities of FeatureDrift.severity, with one colour and rank each', () => {
  assert.deepEqual([...SEVERITIES].sort(), [...schemas.FeatureDrift.properties.severity.enum].sort());
  const styles = Object.values(SEVERITY_PALETTE);
  assert.equal(new Set(styles.map((style) => style.color)).size, styles.length);
  assert.deepEqual(styles.map((style) => style.rank).sort(), [0, 1, 2, 3]);
  assert.notEqual(SEVERITY_PALETTE.insufficient_data.color, 'blue', 'insufficient data must not read as a verdict');
});
