import fs from 'fs';
import path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const EXPECTED_ID = 'driftguard-drift-datasource';
const EXPECTED_TYPE = 'datasource';

const pluginDir = path.resolve(__dirname, '..');
const repoRoot = path.resolve(pluginDir, '..');
// Grafana's own JSON schema for plugin.json, shipped at ../shared from the repo root.
const schemaPath = path.resolve(repoRoot, '..', 'shared', 'grafana', 'plugin.schema.json');
const pluginJsonPath = path.join(__dirname, 'plugin.json');

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function loadSchema() {
  if (!fs.existsSync(schemaPath)) {
    throw new Error(
      `Grafana plugin.json schema not found at ${schemaPath}. ` +
        'It is expected at ../shared/grafana/plugin.schema.json relative to the repo root.'
    );
  }
  return readJson(schemaPath);
}

function validate(pluginJson: unknown) {
  // Grafana's schema is valid draft-07 but not ajv-strict-clean: its patterns use `\-`, which is
  // an invalid escape with the `u` flag ajv adds by default, and it has `additionalItems` next to a
  // non-array `items`. Relax exactly those checks; every constraint is still enforced.
  const ajv = new Ajv({ allErrors: true, unicodeRegExp: false, strictSchema: false, strictTypes: false });
  addFormats(ajv);
  const check = ajv.compile(loadSchema());
  const valid = check(pluginJson);
  return { valid, errors: ajv.errorsText(check.errors, { separator: '\n' }) };
}

/** What .config/webpack/webpack.config.ts does to dist/plugin.json (ReplaceInFileWebpackPlugin). */
function fillPlaceholders(raw: string, version: string, today: string) {
  return raw.replace(/%VERSION%/g, version).replace(/%TODAY%/g, today);
}

describe('plugin.json', () => {
  const raw = fs.readFileSync(pluginJsonPath, 'utf8');
  const pluginJson = JSON.parse(raw);
  const packageJson = readJson(path.join(pluginDir, 'package.json'));

  it('validates against Grafana plugin.json schema', () => {
    const { valid, errors } = validate(pluginJson);
    expect(errors).toBe('No errors');
    expect(valid).toBe(true);
  });

  it('rejects an invalid plugin.json (the validator is really checking)', () => {
    const { valid, errors } = validate({ ...pluginJson, id: 'Not A Valid Id', unknownField: true });
    expect(valid).toBe(false);
    expect(errors).toMatch(/id/);
    expect(errors).toMatch(/additional properties/);
  });

  it(`has id ${EXPECTED_ID} and type ${EXPECTED_TYPE}, matching the package name`, () => {
    expect(pluginJson.id).toBe(EXPECTED_ID);
    expect(pluginJson.type).toBe(EXPECTED_TYPE);
    expect(packageJson.name).toBe(EXPECTED_ID);
  });

  it('keeps the %VERSION% / %TODAY% placeholders that the build fills', () => {
    expect(pluginJson.info.version).toBe('%VERSION%');
    expect(pluginJson.info.updated).toBe('%TODAY%');

    const webpackConfig = fs.readFileSync(path.join(pluginDir, '.config', 'webpack', 'webpack.config.ts'), 'utf8');
    expect(webpackConfig).toContain('search: /\\%VERSION\\%/g');
    expect(webpackConfig).toContain('search: /\\%TODAY\\%/g');
  });

  it('still validates once the build has filled version and date', () => {
    const filled = JSON.parse(fillPlaceholders(raw, packageJson.version, new Date().toISOString().substring(0, 10)));
    expect(filled.info.version).toBe(packageJson.version);
    const { valid, errors } = validate(filled);
    expect(errors).toBe('No errors');
    expect(valid).toBe(true);
  });

  it('references logo files that exist', () => {
    const { small, large } = pluginJson.info.logos;
    for (const logo of [small, large]) {
      expect(fs.existsSync(path.join(__dirname, logo))).toBe(true);
    }
  });
});
