import { DEMO_RETRAINING } from '../../src/demo';
import { LAST_WEEK, serveScenario, ServedScenario } from '../demo/served-scenario';
import { FAST_RUNNER, jobWithStatus, registerModel, scheduleJob } from './support';
import { DAY_MS } from '../../src/time';

describe('the simulated trainer on the demo’s sudden-drift scenario', () => {
  let served: ServedScenario;
  // Loading 90 days of demo traffic takes a while on a busy machine.
  beforeAll(async () => {
    served = await serveScenario(2, FAST_RUNNER);
  }, 300_000);
  afterAll(() => served?.server.stop());

  it('promotes the job window’s production rows to a new reference version, and health recovers', async () => {
    const modelId = served.scenario.modelId;
    const model = (await served.server.json(`/api/v1/models/${modelId}`)).body;
    expect(model.retraining).toEqual(DEMO_RETRAINING);
    const before = await served.get(`summary?${LAST_WEEK}`);
    expect(before.health_score).toBeLessThan(60);

    const [from, to] = LAST_WEEK.split('&').map((part) => part.split('=')[1]);
    const scheduled = await scheduleJob(served.server, modelId, { from, to, reason: 'income and debt ratio drifted' });
    expect(scheduled.status).toBe(201);
    const succeeded = await jobWithStatus(served.server, scheduled.body.id, 'succeeded', 120_000);
    expect(succeeded).toMatchObject({ attempts: 1, reference_version: 1, new_reference_version: 2 });
    expect(succeeded.message).toMatch(
      new RegExp(
        `^promoted ${7 * served.scenario.rowsPerDay} production rows \\(${succeeded.window.from} to ${succeeded.window.to}\\) to reference version 2; ` +
          `it carries its own accuracy, 6\\d\\.\\d% over its 21,000 labelled rows, 1\\d\\.\\d points below version 1 \\(78\\.0%\\): ` +
          "the promoted rows hold the deployed model's own predictions, so the yardstick moved down and no accuracy was won back$"
      )
    );

    const versions = (await served.get('references')).versions;
    expect(
      versions.map((version: { version: number; row_count: number }) => [version.version, version.row_count])
    ).toEqual([
      [1, 20_000],
      [2, 7 * served.scenario.rowsPerDay],
    ]);
    const after = await served.get(`summary?${LAST_WEEK}`);
    expect(after.baseline).toMatchObject({ kind: 'reference', version: 2 });
    expect(after.health_score).toBeGreaterThan(90);
    expect(after.drifted_features).toBe(0);
    // Against the old reference nothing changed: the rows themselves were not touched.
    expect((await served.get(`summary?${LAST_WEEK}&reference=1`)).health_score).toBeCloseTo(before.health_score, 9);
    // The new reference keeps its own accuracy, and the recommendation says the yardstick moved down instead of hiding the loss.
    expect(after.reference_accuracy.value).toBeCloseTo(after.realized_accuracy.value, 12);
    const advice = await served.get(`recommendation?${LAST_WEEK}`);
    expect(advice.recommendation).toBe('monitor');
    expect(advice.yardstick).toMatchObject({ previous_version: 1, fall: { established: true } });
    expect(advice.reasons[1]).toMatch(
      /^Reference version 2 has accuracy 6\d\.\d%, 1\d\.\d points below version 1 \(78\.0%\): the yardstick moved down/
    );
    expect(advice.reasons[1]).toMatch(/against version 1 the window's accuracy is 1\d\.\d points lower\.$/);

    // The runner's own moves are in the audit log beside the request that scheduled the job.
    const audit = (await served.server.json(`/api/v1/audit?model=${modelId}`)).body.entries as {
      actor: string;
      method: string;
      action: string | null;
    }[];
    const runnerMoves = audit.filter((entry) => entry.actor === 'runner').map((entry) => entry.action);
    expect(runnerMoves).toEqual([
      `retrain job ${succeeded.id} succeeded: ${succeeded.message}`,
      `retrain job ${succeeded.id} running: the simulated trainer is promoting production rows to a new reference`,
      expect.stringMatching(new RegExp(`^retrain job ${succeeded.id} dispatched`)),
    ]);
    expect(audit.some((entry) => entry.method === 'POST' && entry.action === null)).toBe(true);
  }, 180_000);

  it('fails a job whose window holds no production rows, creating no reference', async () => {
    await registerModel(served.server, 'empty-window', {
      policy: 'manual',
      trainer: { kind: 'simulated', delay_ms: 0 },
    });
    const to = Date.now() - 400 * DAY_MS;
    const { body: job } = await scheduleJob(served.server, 'empty-window', { from: to - DAY_MS, to });
    const failed = await jobWithStatus(served.server, job.id, 'failed');
    expect(failed.message).toMatch(/^no production rows between /);
    expect((await served.server.json('/api/v1/models/empty-window/references')).body.versions).toHaveLength(1);
  });
});
