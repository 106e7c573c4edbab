import path from 'node:path';
import { readYaml } from './files';

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly environment?: Readonly<Record<string, string>>;
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly volumes?: string[];
  readonly ports?: string[];
  readonly expose?: string[];
  readonly healthcheck?: { readonly test: string[] };
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

export const COMPOSE_FILE = 'docker-compose.yml';

export function loadCompose(): ComposeFile {
  return readYaml<ComposeFile>(COMPOSE_FILE);
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`${COMPOSE_FILE} has no service ${name}`);
  return found;
}

/**
 * Compose's own interpolation (compose-spec "Interpolation"): `${NAME:-default}` gives the default
 * when NAME is unset or empty, `${NAME-default}` only when it is unset; `$$` is a literal `$`.
 * `shell` is what is set in the shell or .env file (nothing by default: a fresh clone).
 */
export function composeValue(text: string, shell: Readonly<Record<string, string>> = {}): string {
  return text.replace(
    /\$\$|\$\{(\w+)(?:(:?)-([^}]*))?\}/g,
    (match, name: string | undefined, colon: string | undefined, fallback: string | undefined) => {
      if (match === '$$') return '$';
      const set = shell[name as string];
      if (fallback === undefined) {
        if (set !== undefined) return set;
        throw new Error(`${COMPOSE_FILE}: \${${name}} has no default, so a fresh clone would start without it`);
      }
      if (set === undefined || (colon === ':' && set === '')) return fallback;
      return set;
    }
  );
}

export function environment(
  compose: ComposeFile,
  name: string,
  shell: Readonly<Record<string, string>> = {}
): Record<string, string> {
  const raw = service(compose, name).environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, composeValue(String(value), shell)]));
}

/** Ports the service's container listens on: the container side of `ports`, and `expose`. */
export function containerPorts(entry: ComposeService): number[] {
  const published = (entry.ports ?? []).map((mapping) => Number(String(mapping).split(':').pop()));
  return [...published, ...(entry.expose ?? []).map(Number)];
}

export interface Mount {
  readonly source: string;
  readonly target: string;
  /** A bind mount of a path in the repository, rather than a named volume. */
  readonly bind: boolean;
}

export function mounts(entry: ComposeService): Mount[] {
  return (entry.volumes ?? []).map((volume) => {
    const [source, target] = volume.split(':');
    return { source, target, bind: source.startsWith('.') || source.startsWith('/') };
  });
}

/** The repository path a container path of the service comes from, through its bind mounts. */
export function repositoryPathOf(entry: ComposeService, containerPath: string): string | undefined {
  for (const mount of mounts(entry)) {
    if (!mount.bind) continue;
    const relative = path.posix.relative(mount.target, containerPath);
    if (!relative.startsWith('..') && !path.posix.isAbsolute(relative))
      return path.posix.normalize(path.posix.join(mount.source, relative));
  }
  return undefined;
}

/** `service:port` mentions in the text that name a compose service not listening on that port. */
export function wrongServicePorts(compose: ComposeFile, text: string): string[] {
  return [...text.matchAll(/\b([a-z][\w-]*):(\d+)\b/g)]
    .filter(
      ([, host, port]) => host in compose.services && !containerPorts(service(compose, host)).includes(Number(port))
    )
    .map(([mention]) => mention);
}
