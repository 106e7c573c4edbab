import { main } from '../../src/cli/main';
import { startTestServer, TestServer, TOKENS } from '../api/harness';
import { tempDir, writeFile } from '../support/cli';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'drift-server', ...args], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  return { code, out, err };
}

const YAML_MODEL = `# a model file as a team would keep it in its repository
id: churn
name: Churn
features:
  - { name: tenure_months, kind: numeric, importance: 2 }
  - { name: plan, kind: categorical }
  - { name: Доход, kind: numeric }
business:
  cost_per_error: 40
  retrain_cost: 1500
  retrain_duration_days: 2
  horizon_days: 60
`;

describe('drift-server model create|list|show|delete against a running server', () => {
  let server: TestServer;
  const files = tempDir('driftguard-model-cli-');
  const target = (token = TOKENS.admin) => ['--server', server.server.url, '--token', token];
  const stored = async (id: string) => (await server.json(`/api/v1/models/${id}`)).status;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
    files.cleanup();
  });

  it('registers a model from YAML, then lists and shows it', async () => {
    const created = await cli(['model', 'create', writeFile(files.dir, 'churn.yaml', YAML_MODEL), ...target()]);
    expect(created).toEqual({
      code: 0,
      err: '',
      out: 'Registered model churn (Churn) with 3 features: tenure_months, plan, Доход\n',
    });
    const model = (await server.json('/api/v1/models/churn')).body;
    expect(model.business).toMatchObject({ cost_per_error: 40, retrain_cost: 1500, currency: 'USD' });
    expect(model.features[1]).toEqual({ name: 'plan', kind: 'categorical', importance: 1 });

    const listed = await cli(['model', 'list', ...target(TOKENS.read)]);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([
      'id     features  task                      name',
      'churn         3  binary_classification     Churn',
      '',
    ]);

    const shown = await cli(['model', 'show', 'churn', ...target(TOKENS.read)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^churn: Churn \(binary classification\), 10 bins per numeric feature/);
    expect(shown.out).toMatch(/\n {2}tenure_months +numeric +importance 2\n/);
    expect(shown.out).toContain('Business: currency USD, value_per_correct_prediction unset, cost_per_error 40');
    expect(shown.out).toContain('References: none yet');
    expect(JSON.parse((await cli(['model', 'show', 'churn', '--json', ...target(TOKENS.read)])).out)).toEqual(model);
  });

  it.each([
    [
      'a kind that does not exist (JSON)',
      'bad-kind.json',
      JSON.stringify({
        id: 'bad-kind',
        features: [
          { name: 'a', kind: 'numeric' },
          { name: 'b', kind: 'text' },
        ],
      }),
      /bad-kind\.json: features\.1\.kind: Invalid option: expected one of "numeric"\|"categorical"/,
    ],
    [
      'a misspelt field',
      'typo.yaml',
      'id: typo\nfeatures: [{ name: a, kind: numeric }]\nbusines: { cost_per_error: 5 }\n',
      /typo\.yaml: Unrecognized key: "busines"/,
    ],
    [
      'a bad model id',
      'Upper.yaml',
      'id: Upper Case\nfeatures: [{ name: a, kind: numeric }]\n',
      /Upper\.yaml: id: model ids match/,
    ],
    [
      'broken YAML',
      'broken.yaml',
      'id: broken\nfeatures:\n  - name: a\n   kind: numeric\n',
      /broken\.yaml is not valid YAML: .*line 4/,
    ],
    ['broken JSON', 'broken.json', '{"id": "broken",', /broken\.json is not valid JSON/],
  ])('refuses %s before sending anything, naming the file and the field', async (_case, name, text, message) => {
    const before = (await server.json('/api/v1/models')).body.models.length;
    const result = await cli(['model', 'create', writeFile(files.dir, name, text), ...target()]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect((await server.json('/api/v1/models')).body.models.length).toBe(before);
  });

  it('passes on what only the server can refuse, with its reason, exit code 1', async () => {
    const again = await cli(['model', 'create', writeFile(files.dir, 'churn-again.yaml', YAML_MODEL), ...target()]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/registration refused \(HTTP 409\) — .*churn/);
    const readOnly = await cli([
      'model',
      'create',
      writeFile(files.dir, 'other.yaml', YAML_MODEL.replace('id: churn', 'id: other')),
      ...target(TOKENS.read),
    ]);
    expect([readOnly.code, readOnly.err]).toEqual([1, expect.stringMatching(/HTTP 403.*scope "admin"/)]);
    expect(await stored('other')).toBe(404);
    const missing = await cli(['model', 'show', 'no-such-model', ...target()]);
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/show refused \(HTTP 404\)/)]);
    const noToken = await cli(['model', 'list', '--server', server.server.url]);
    expect([noToken.code, noToken.err]).toEqual([
      2,
      expect.stringMatching(/no token: pass --token or set DRIFTGUARD_TOKEN \(a token with scope read\)/),
    ]);
  });

  it('deletes a model only with --yes', async () => {
    const unconfirmed = await cli(['model', 'delete', 'churn', ...target()]);
    expect([unconfirmed.code, unconfirmed.err]).toEqual([2, expect.stringMatching(/run again with --yes/)]);
    expect(await stored('churn')).toBe(200);
    expect(await cli(['model', 'delete', 'churn', '--yes', ...target()])).toEqual({
      code: 0,
      err: '',
      out: 'Deleted model churn and all its data\n',
    });
    expect(await stored('churn')).toBe(404);
  });
});
