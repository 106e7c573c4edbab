import {
  COMPOSE_FILE,
  composeValue,
  containerPorts,
  environment,
  loadCompose,
  mounts,
  repositoryPathOf,
  service,
  wrongServicePorts,
} from './support/compose';
import { exists, readJson, readText, stringsIn } from './support/files';
import { PLUGIN_FOLDERS, pluginJson } from './support/grafana';
import { demoCommand } from '../../drift-server/src/cli/demo';
import type { CliIo } from '../../drift-server/src/cli/io';

const compose = loadCompose();
const services = Object.entries(compose.services);
const rootPackage = readJson<{ workspaces: string[] }>('package.json');
const workspaceNames = new Map(
  rootPackage.workspaces.map((folder) => [folder, readJson<{ name: string }>(`${folder}/package.json`).name])
);

/** drift-server's default port, from its configuration code. */
function driftServerDefaultPort(): number {
  const match = /integerFrom\(env, 'DRIFTGUARD_PORT', (\d+)/.exec(readText('drift-server/src/config.ts'));
  if (!match)
    throw new Error(
      'drift-server/src/config.ts no longer reads DRIFTGUARD_PORT with integerFrom(env, …, default): update this test'
    );
  return Number(match[1]);
}

function dockerfileOf(name: string): { path: string; text: string } {
  const build = service(compose, name).build;
  if (!build) throw new Error(`service ${name} is not built`);
  const path = `${build.context === '.' ? '' : `${build.context}/`}${build.dockerfile}`;
  return { path, text: readText(path) };
}

/** Semantic version as a comparable number (each part below 1000). */
function versionNumber(version: string): number {
  const [major, minor, patch] = version.split('.').map(Number);
  return major * 1e6 + minor * 1e3 + (patch ?? 0);
}

describe(COMPOSE_FILE, () => {
  it('builds images from Dockerfiles that exist, from the repository root', () => {
    for (const [name, entry] of services) {
      if (!entry.build) continue;
      expect([name, entry.build.context]).toEqual([name, '.']);
      expect(exists(dockerfileOf(name).path)).toBe(true);
    }
  });

  it('pins every image it pulls to a version', () => {
    for (const [name, entry] of services) {
      if (entry.build) continue;
      expect([name, entry.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:v?\d+(\.\d+)*(-[\w.-]+)?$/)]);
    }
  });

  it('gives every service a healthcheck, and waits on healthy services that exist', () => {
    for (const [name, entry] of services) {
      expect([name, entry.healthcheck?.test.length]).toEqual([name, expect.any(Number)]);
      for (const [dependency, { condition }] of Object.entries(entry.depends_on ?? {})) {
        expect([
          name,
          dependency,
          dependency in compose.services,
          compose.services[dependency]?.healthcheck !== undefined,
          condition,
        ]).toEqual([name, dependency, true, true, 'service_healthy']);
      }
    }
  });

  it('mounts repository paths that exist and declares every named volume', () => {
    for (const [name, entry] of services) {
      for (const mount of mounts(entry)) {
        if (mount.bind) expect([name, mount.source, exists(mount.source)]).toEqual([name, mount.source, true]);
        else
          expect([name, mount.source, Object.keys(compose.volumes ?? {})]).toEqual([
            name,
            mount.source,
            expect.arrayContaining([mount.source]),
          ]);
      }
    }
  });

  it('points every service:port it mentions at a service listening on that port', () => {
    for (const [name, entry] of services) {
      const texts = [
        ...Object.values(environment(compose, name)),
        ...stringsIn(entry.command),
        ...stringsIn(entry.healthcheck),
      ];
      for (const text of texts) expect([name, text, wrongServicePorts(compose, text)]).toEqual([name, text, []]);
      for (const [, port] of stringsIn(entry.healthcheck)
        .join(' ')
        .matchAll(/127\.0\.0\.1:(\d+)/g)) {
        expect([name, containerPorts(entry)]).toEqual([name, expect.arrayContaining([Number(port)])]);
      }
    }
  });
});

describe('drift-server service', () => {
  const entry = service(compose, 'drift-server');
  const script = composeValue(stringsIn(entry.command).join('\n'));

  it("listens on drift-server's default port", () => {
    const port = driftServerDefaultPort();
    expect(Number(environment(compose, 'drift-server').DRIFTGUARD_PORT ?? port)).toBe(port);
    expect(containerPorts(entry)).toEqual([port]);
  });

  it('loads a demo scenario once, then serves it live with the read and operate tokens Grafana is given', () => {
    expect(script).toMatch(/drift-server demo --scenario \d --no-serve/);
    const [, flags] = /exec drift-server demo (--scenario \d(?: --[\w-]+(?: \d+)?)*)\s*$/m.exec(script) ?? [];
    expect(flags).toMatch(/--live/);
    // Every flag is one the demo command has.
    const known = demoCommand({ out: () => undefined, err: () => undefined } as unknown as CliIo).options.map(
      (option) => option.long
    );
    for (const [flag] of flags.matchAll(/--[\w-]+/g)) expect([flag, known.includes(flag)]).toEqual([flag, true]);
    const grafana = environment(compose, 'grafana');
    const server = environment(compose, 'drift-server');
    for (const token of ['DRIFTGUARD_READ_TOKEN', 'DRIFTGUARD_OPERATE_TOKEN']) {
      expect(server[token]).toBe(grafana[token]);
      expect(server[token].length).toBeGreaterThanOrEqual(16);
    }
    expect(script).toContain('DRIFTGUARD_TOKENS="read=$DRIFTGUARD_READ_TOKEN,read+operate=$DRIFTGUARD_OPERATE_TOKEN"');
  });

  it('keeps its database in the volume the image declares', () => {
    const database = environment(compose, 'drift-server').DRIFTGUARD_DB;
    const dataMount = mounts(entry).find((mount) => database.startsWith(`${mount.target}/`));
    expect(dataMount?.bind).toBe(false);
    expect(dockerfileOf('drift-server').text).toContain(`VOLUME ${dataMount?.target}`);
  });
});

describe('grafana service', () => {
  const entry = service(compose, 'grafana');
  const grafanaEnvironment = environment(compose, 'grafana');
  const dockerfile = dockerfileOf('grafana').text;
  const plugins = PLUGIN_FOLDERS.map((folder) => ({ folder, ...pluginJson(folder) }));

  it('allows exactly the two unsigned DriftGuard plugins', () => {
    expect(grafanaEnvironment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual(
      plugins.map((plugin) => plugin.id).sort()
    );
  });

  it("runs a pinned Grafana that satisfies both plugins' grafanaDependency", () => {
    const version = /^ARG GRAFANA_VERSION=(\d+\.\d+\.\d+)$/m.exec(dockerfile)?.[1];
    expect(dockerfile).toMatch(/^FROM grafana\/grafana:\$\{GRAFANA_VERSION\}$/m);
    for (const plugin of plugins) {
      const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(plugin.dependencies.grafanaDependency)?.[1];
      expect([
        plugin.id,
        minimum !== undefined,
        versionNumber(version ?? '0.0.0') >= versionNumber(minimum ?? '999.0.0'),
      ]).toEqual([plugin.id, true, true]);
    }
  });

  it('builds each plugin with its workspace build script and installs it under its id', () => {
    const pluginsPath = /^ENV GF_PATHS_PLUGINS=(\S+)$/m.exec(dockerfile)?.[1];
    expect(pluginsPath).toBeDefined();
    for (const plugin of plugins) {
      expect(workspaceNames.get(plugin.folder)).toBe(plugin.id);
      expect(dockerfile).toMatch(new RegExp(`npm run build -w ${plugin.id}\\b`));
      expect(dockerfile).toContain(`COPY --from=plugins /src/${plugin.folder}/dist ${pluginsPath}/${plugin.id}`);
    }
  });

  it('lets DRIFTGUARD_PAGERDUTY_URL be set empty, for PagerDuty itself, as docs/GRAFANA.md says ("-", not ":-")', () => {
    expect(environment(compose, 'grafana', { DRIFTGUARD_PAGERDUTY_URL: '' }).DRIFTGUARD_PAGERDUTY_URL).toBe('');
    expect(grafanaEnvironment.DRIFTGUARD_PAGERDUTY_URL).toBe('http://webhook-sink:8080/pagerduty');
    // The other settings fall back on their demo default when set empty.
    expect(environment(compose, 'grafana', { DRIFTGUARD_ALERT_EMAILS: '' }).DRIFTGUARD_ALERT_EMAILS).toBe(
      'sre@example.com'
    );
  });

  it('mounts the provisioning folders where Grafana reads them', () => {
    for (const folder of ['datasources', 'dashboards', 'alerting']) {
      expect(repositoryPathOf(entry, `/etc/grafana/provisioning/${folder}`)).toBe(`provisioning/grafana/${folder}`);
    }
    const home = repositoryPathOf(entry, grafanaEnvironment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    expect(home !== undefined && exists(home)).toBe(true);
  });
});

describe('Dockerfiles', () => {
  const built = services.filter(([, entry]) => entry.build).map(([name]) => ({ name, ...dockerfileOf(name) }));

  it('copy every workspace manifest before npm ci, which checks the lockfile against all of them', () => {
    for (const { name, text } of built) {
      const install = text.indexOf('RUN npm ci');
      for (const folder of rootPackage.workspaces) {
        const copy = text.indexOf(`COPY ${folder}/package.json ${folder}/`);
        expect([name, folder, copy >= 0 && copy < install]).toEqual([name, folder, true]);
      }
    }
  });

  it('name only real workspaces in npm -w options, and copy only paths that exist', () => {
    const names = [...workspaceNames.values()];
    for (const { name, text } of built) {
      for (const [, workspace] of text.matchAll(/ -w (\S+)/g))
        expect([name, names]).toEqual([name, expect.arrayContaining([workspace])]);
      for (const [, source] of text.matchAll(/^COPY (?!--from)(\S+)/gm))
        expect([name, source, exists(source)]).toEqual([name, source, true]);
    }
  });

  it('are not sent node_modules or build output from the host', () => {
    const ignored = readText('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
  });
});
