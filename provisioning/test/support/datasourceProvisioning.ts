import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { interpolate } from './env';
import { DataSource } from './grafana';

/** A data source as Grafana stores it in an organisation. */
export interface StoredDataSource {
  readonly orgId: number;
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url?: string;
  readonly isDefault: boolean;
  readonly jsonData?: Readonly<Record<string, unknown>>;
}

/**
 * Grafana's data source provisioning over one folder, as pkg/services/provisioning/datasources
 * does it: config_reader.go reads every .yaml/.yml file, replaces environment variables, and refuses
 * the whole set when one organisation gets two data sources marked default ("Only one datasource per
 * organization can be marked as default"); datasources.go then looks each data source up by NAME in
 * its organisation (orgId 1 when unset) and updates the one it finds (uid, url, isDefault and the
 * rest replaced) or inserts a new one. Returns the organisation's data sources afterwards.
 */
export function provisionDataSources(
  folder: string,
  existing: readonly StoredDataSource[],
  environment: Readonly<Record<string, string>>
): StoredDataSource[] {
  const files = readdirSync(folder)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
  const configured = files.flatMap(
    (file) =>
      (parse(interpolate(readFileSync(path.join(folder, file), 'utf8'), environment)) as { datasources?: DataSource[] })
        .datasources ?? []
  );
  const defaults = new Map<number, number>();
  for (const source of configured.filter((candidate) => candidate.isDefault)) {
    const orgId = source.orgId ?? 1;
    defaults.set(orgId, (defaults.get(orgId) ?? 0) + 1);
    if ((defaults.get(orgId) ?? 0) > 1) {
      throw new Error(
        'datasource.yaml config is invalid. Only one datasource per organization can be marked as default'
      );
    }
  }
  const stored = [...existing];
  for (const source of configured) {
    const orgId = source.orgId ?? 1;
    const row: StoredDataSource = {
      orgId,
      name: source.name,
      uid: source.uid,
      type: source.type,
      url: source.url,
      isDefault: source.isDefault === true,
      jsonData: source.jsonData,
    };
    const index = stored.findIndex((candidate) => candidate.orgId === orgId && candidate.name === source.name);
    if (index === -1) {
      stored.push(row);
    } else {
      stored[index] = row;
    }
  }
  return stored;
}
