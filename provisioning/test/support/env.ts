/**
 * Environment variables a Grafana provisioning value refers to. Grafana replaces `$NAME` and
 * `${NAME}` (and reads `$$` as a literal `$`) in data sources, contact points, policies and rule
 * labels; rule annotations only see `${NAME}`.
 */
export function environmentReferences(value: string, bracedOnly = false): string[] {
  const names: string[] = [];
  for (const match of value.matchAll(/\$\$|\$\{(\w+)\}|\$(\w+)/g)) {
    const name = match[1] ?? (bracedOnly ? undefined : match[2]);
    if (name) names.push(name);
  }
  return names;
}

export function interpolate(value: string, environment: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (match, braced?: string, plain?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? plain) as string;
    const resolved = environment[name];
    if (resolved === undefined) throw new Error(`$${name} is not set in the environment given`);
    return resolved;
  });
}
