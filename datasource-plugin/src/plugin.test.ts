import fs from 'fs';
import path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ROUTES } from './api/DriftApi';
import { ProxyRoute, renderRouteTemplate } from './test-support/grafanaDataProxy';

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

  describe('routes', () => {
    const routes: ProxyRoute[] = pluginJson.routes;
    const byPath = (path: string) => routes.find((route) => route.path === path)!;
    const dataSource = {
      jsonData: { serverUrl: 'http://drift:8080' },
      secureJsonData: { readToken: 'R', operateToken: 'O' },
    };

    it('declares exactly the routes the data source calls', () => {
      expect(routes.map((route) => route.path).sort()).toEqual(Object.values(ROUTES).sort());
    });

    it('has no route path that prefixes another (Grafana takes the first prefix match)', () => {
      for (const a of routes) {
        for (const b of routes) {
          expect([a.path, b.path, a !== b && b.path.startsWith(a.path)]).toEqual([a.path, b.path, false]);
        }
      }
    });

    it('sends the read token on read calls, for Viewers and up, GET only', () => {
      const read = byPath(ROUTES.read);
      expect(read).toMatchObject({ method: 'GET', reqRole: 'Viewer' });
      expect(renderRouteTemplate(read.url!, dataSource)).toBe('http://drift:8080');
      expect(read.headers!.map((h) => [h.name, renderRouteTemplate(h.content, dataSource)])).toEqual([
        ['Authorization', 'Bearer R'],
      ]);
    });

    it('sends the operate token only for Editors: POST to act, GET only on whoami-operate for the health check', () => {
      const operate = byPath(ROUTES.operate);
      expect(operate).toMatchObject({ method: 'POST', reqRole: 'Editor' });
      expect(byPath(ROUTES.operateWhoami)).toMatchObject({ method: 'GET', reqRole: 'Editor' });
      for (const route of [operate, byPath(ROUTES.operateWhoami)]) {
        expect(route.headers!.map((h) => [h.name, renderRouteTemplate(h.content, dataSource)])).toEqual([
          ['Authorization', 'Bearer O'],
        ]);
      }
    });

    it('restricts every route to one method (Grafana compares it exactly; none would allow every method)', () => {
      for (const route of routes) {
        expect([route.path, route.method]).toEqual([route.path, expect.stringMatching(/^(GET|POST)$/)]);
      }
    });

    it('points every route at serverUrl itself, so a trailing slash cannot double the one before /api/v1', () => {
      for (const route of routes) {
        expect([route.path, route.url]).toEqual([route.path, '{{ .JsonData.serverUrl }}']);
      }
    });

    it('reaches the open health endpoint without any token', () => {
      const health = byPath(ROUTES.health);
      expect(health).toMatchObject({ method: 'GET', reqRole: 'Viewer' });
      expect(health.headers).toBeUndefined();
    });

    it('uses only template data Grafana provides (.JsonData, .SecureJsonData)', () => {
      expect(() => renderRouteTemplate('Bearer {{ .User.Login }}', dataSource)).toThrow(/only know/);
      for (const route of routes) {
        expect(() =>
          [route.url!, ...(route.headers ?? []).map((h) => h.content)].map((t) => renderRouteTemplate(t, dataSource))
        ).not.toThrow();
      }
    });
  });
});
