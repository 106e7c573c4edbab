import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { stringify } from 'yaml';
import { SEVERITY_PALETTE } from 'driftguard-api-contract';
import { DEFAULT_OPTIONS } from '../../panel-plugin/src/types';
import { promtool } from '../../drift-server/test/metrics/promtool';
import { loadCompose } from './support/compose';
import { readText, stringsIn } from './support/files';
import {
  allPanels,
  BUILT_IN_DATASOURCE_UIDS,
  CORE_PANEL_TYPES,
  Dashboard,
  dashboardProviders,
  dataSources,
  DataSourceRef,
  Panel,
  pluginOfType,
  providedDashboards,
  ruleGroups,
  Target,
} from './support/grafana';
import { driftguardSeriesIn, knownSeriesNames, labelNamesOf, withSampleVariables } from './support/promql';

const dashboards = providedDashboards(loadCompose());

/** What a table panel's links and sorting depend on. */
interface TablePanel {
  readonly fieldConfig: { readonly defaults: { readonly links?: { readonly url: string }[] } };
  readonly options: { readonly sortBy?: { readonly displayName: string }[] };
  readonly transformations?: {
    readonly id: string;
    readonly options: {
      readonly excludeByName?: Record<string, boolean>;
      readonly renameByName?: Record<string, string>;
    };
  }[];
}
const sources = dataSources();
const driftguardType = pluginOfType('datasource').id;

/** Every data source reference of a dashboard, with where it was found. */
function dataSourceRefs(dashboard: Dashboard): { where: string; ref: DataSourceRef }[] {
  const panels = allPanels(dashboard).flatMap((panel) => [
    ...(panel.datasource ? [{ where: `panel ${panel.title}`, ref: panel.datasource }] : []),
    ...(panel.targets ?? []).flatMap((target) =>
      target.datasource ? [{ where: `panel ${panel.title} ${target.refId}`, ref: target.datasource }] : []
    ),
  ]);
  const variables = dashboard.templating.list.flatMap((variable) =>
    variable.datasource ? [{ where: `variable ${variable.name}`, ref: variable.datasource }] : []
  );
  const annotations = dashboard.annotations.list.map((annotation) => ({
    where: `annotation ${annotation.name}`,
    ref: annotation.datasource,
  }));
  return [...panels, ...variables, ...annotations];
}

/** Every query of a dashboard with the data source it goes to. */
function queries(dashboard: Dashboard): { where: string; ref: DataSourceRef | undefined; query: Target }[] {
  const panels = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `${dashboard.uid} panel "${panel.title}" ${target.refId}`,
      ref: target.datasource ?? panel.datasource,
      query: target,
    }))
  );
  const variables = dashboard.templating.list.map((variable) => ({
    where: `${dashboard.uid} variable ${variable.name}`,
    ref: variable.datasource,
    query: variable.query as Target,
  }));
  const annotations = dashboard.annotations.list.flatMap((annotation) =>
    annotation.target
      ? [
          {
            where: `${dashboard.uid} annotation ${annotation.name}`,
            ref: annotation.datasource,
            query: annotation.target,
          },
        ]
      : []
  );
  return [...panels, ...variables, ...annotations];
}

const prometheusQueries = dashboards.flatMap(({ dashboard }) =>
  queries(dashboard).filter(({ ref }) => ref?.uid === 'prometheus')
);
const driftguardQueries = dashboards.flatMap(({ dashboard }) =>
  queries(dashboard).filter(({ ref }) => ref?.uid === 'driftguard')
);

/** The query models docs/GRAFANA.md documents: queryType → keys, from its inline JSON examples. */
function documentedQueryModels(): Map<string, Set<string>> {
  const models = new Map<string, Set<string>>();
  for (const [, code] of readText('docs/GRAFANA.md').matchAll(/`(\{"queryType"[^`]*\})`/g)) {
    const example = JSON.parse(code) as Record<string, unknown>;
    const type = String(example.queryType);
    models.set(type, new Set([...(models.get(type) ?? []), ...Object.keys(example)]));
  }
  return models;
}

describe('dashboard provisioning', () => {
  it('finds the dashboards of every provider, in the folder the alert rules use', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([
      'driftguard-fleet',
      'driftguard-model-health',
    ]);
    const ruleFolders = new Set(ruleGroups().map((group) => group.folder));
    for (const provider of dashboardProviders()) expect(ruleFolders).toContain(provider.folder);
  });

  it('gives each dashboard a unique uid and each panel a unique id', () => {
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard } of dashboards) {
      const ids = allPanels(dashboard).map((panel) => panel.id);
      expect([dashboard.uid, new Set(ids).size]).toEqual([dashboard.uid, ids.length]);
    }
  });

  it('uses only core panel types and the DriftGuard panel', () => {
    const allowed = new Set([...CORE_PANEL_TYPES, pluginOfType('panel').id]);
    for (const { dashboard } of dashboards) {
      for (const panel of allPanels(dashboard))
        expect([dashboard.uid, panel.title, allowed.has(panel.type)]).toEqual([dashboard.uid, panel.title, true]);
    }
    const types = dashboards.flatMap(({ dashboard }) => allPanels(dashboard).map((panel) => panel.type));
    expect(types).toContain(pluginOfType('panel').id);
  });

  it("colours PSI by the severity palette, at the DriftGuard panel's marks", () => {
    const { ok, warning, critical } = SEVERITY_PALETTE;
    const expected = [
      { color: ok.color, value: null },
      { color: warning.color, value: DEFAULT_OPTIONS.psiWarning },
      { color: critical.color, value: DEFAULT_OPTIONS.psiCritical },
    ];
    const psiPanels = dashboards.flatMap(({ dashboard }) =>
      allPanels(dashboard).filter((panel) => /\bPSI\b/.test(panel.title) && panel.type !== 'row')
    );
    expect(psiPanels.length).toBeGreaterThanOrEqual(5);
    for (const panel of psiPanels as Array<Panel & { fieldConfig: { defaults: { thresholds: { steps: unknown[] } } } }>)
      expect([panel.title, panel.fieldConfig.defaults.thresholds.steps]).toEqual([panel.title, expected]);
  });

  it('lays panels out within the 24-column grid', () => {
    for (const { dashboard } of dashboards) {
      for (const { title, gridPos } of allPanels(dashboard))
        expect([title, gridPos.x >= 0 && gridPos.w > 0 && gridPos.x + gridPos.w <= 24]).toEqual([title, true]);
    }
  });

  it('refers only to provisioned data sources, by uid and matching type', () => {
    for (const { dashboard } of dashboards) {
      for (const { where, ref } of dataSourceRefs(dashboard)) {
        if (BUILT_IN_DATASOURCE_UIDS.has(ref.uid)) continue;
        const source = sources.find((candidate) => candidate.uid === ref.uid);
        expect([dashboard.uid, where, source?.type]).toEqual([dashboard.uid, where, ref.type]);
      }
    }
  });

  it("refers only to variables it defines, or Grafana's own", () => {
    for (const { dashboard } of dashboards) {
      const defined = new Set(dashboard.templating.list.map((variable) => variable.name));
      const texts = stringsIn({
        panels: dashboard.panels,
        templating: dashboard.templating,
        annotations: dashboard.annotations,
      });
      for (const text of texts) {
        for (const [, braced, plain, legacy] of text.matchAll(/\$\{([\w.]+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g)) {
          const name = braced ?? plain ?? legacy;
          if (name.startsWith('__')) continue;
          expect([dashboard.uid, text, defined.has(name)]).toEqual([dashboard.uid, text, true]);
        }
      }
    }
  });

  it('defines the model and feature variables from DriftGuard queries', () => {
    const health = dashboards.find(({ dashboard }) => dashboard.uid === 'driftguard-model-health')?.dashboard;
    expect(health?.templating.list.map(({ name, datasource, query }) => ({ name, datasource, query }))).toEqual([
      { name: 'model', datasource: { type: driftguardType, uid: 'driftguard' }, query: { queryType: 'models' } },
      {
        name: 'feature',
        datasource: { type: driftguardType, uid: 'driftguard' },
        query: { queryType: 'features', model: '$model' },
      },
    ]);
  });

  it('links only to dashboards that are provisioned', () => {
    const uids = new Set(dashboards.map(({ dashboard }) => dashboard.uid));
    for (const { dashboard } of dashboards) {
      for (const text of stringsIn(dashboard.panels)) {
        for (const [, uid] of text.matchAll(/\/d\/([\w-]+)/g))
          expect([dashboard.uid, uid, uids.has(uid)]).toEqual([dashboard.uid, uid, true]);
      }
    }
  });
});

describe('DriftGuard queries in dashboards', () => {
  it('use only the query models docs/GRAFANA.md documents for the data source plugin', () => {
    const documented = documentedQueryModels();
    expect(driftguardQueries.length).toBeGreaterThan(0);
    for (const { where, query } of driftguardQueries) {
      const keys = Object.keys(query).filter((key) => !['refId', 'datasource', 'hide'].includes(key));
      const allowed = documented.get(String(query.queryType));
      expect([where, query.queryType, allowed !== undefined]).toEqual([where, query.queryType, true]);
      for (const key of keys) expect([where, key, allowed?.has(key)]).toEqual([where, key, true]);
    }
  });
});

describe('Prometheus queries in dashboards', () => {
  it('use only metrics drift-server defines', async () => {
    const known = await knownSeriesNames();
    expect(prometheusQueries.length).toBeGreaterThan(0);
    for (const { where, query } of prometheusQueries) {
      const series = driftguardSeriesIn(query.expr ?? '');
      expect([where, series.length > 0]).toEqual([where, true]);
      for (const name of series) expect([where, name, known.has(name)]).toEqual([where, name, true]);
    }
  });

  it("link and sort table panels by the fields Prometheus' table format gives them", () => {
    // The table format makes a frame of Time, one field per label (sorted) and a value field named
    // "Value" ("Value #<refId>" beside other queries) that carries no labels, so ${__field.labels.x}
    // is empty there (the Prometheus data source's result_transformer.ts, transformDFToTable and
    // transformMetricDataToTable); ${__data.fields.x} reads field x of the clicked row
    // (packages/grafana-data/src/field/fieldDisplayValuesProxy.ts). organize's renameByName changes
    // a field's display name, which is what the table's sortBy names (transformers/rename.ts).
    const tables = dashboards.flatMap(({ dashboard }) =>
      allPanels(dashboard).filter(
        (panel) => panel.type === 'table' && (panel.targets ?? []).some((target) => target.format === 'table')
      )
    );
    expect(tables.length).toBeGreaterThan(0);
    for (const panel of tables as (Panel & TablePanel)[]) {
      const targets = panel.targets ?? [];
      const fields = targets.flatMap((target) => {
        const match = /^(?:topk\(\d+,\s*)?(driftguard_\w+)\)?$/.exec(target.expr ?? '');
        if (!match)
          throw new Error(
            `panel "${panel.title}": this test knows the fields of a metric or topk of one only, not ${target.expr}`
          );
        return [
          '__name__',
          'instance',
          'job',
          ...labelNamesOf(match[1]),
          targets.length > 1 ? `Value #${target.refId}` : 'Value',
        ];
      });
      const organize = panel.transformations?.find((transformation) => transformation.id === 'organize')?.options;
      const shown = ['Time', ...fields]
        .filter((name) => !organize?.excludeByName?.[name])
        .map((name) => organize?.renameByName?.[name] ?? name);
      for (const link of panel.fieldConfig.defaults.links ?? []) {
        expect([panel.title, link.url.includes('__field.labels')]).toEqual([panel.title, false]);
        for (const [, field] of link.url.matchAll(/\$\{__data\.fields\.(\w+)\}/g))
          expect([panel.title, field, fields.includes(field)]).toEqual([panel.title, field, true]);
      }
      for (const { displayName } of panel.options.sortBy ?? [])
        expect([panel.title, displayName, shown.includes(displayName)]).toEqual([panel.title, displayName, true]);
    }
  });

  it('parse as PromQL (promtool check rules)', () => {
    const rules = prometheusQueries.map(({ query }, index) => ({
      record: `dashboard_query_${index}`,
      expr: withSampleVariables(query.expr ?? ''),
    }));
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-dashboards-'));
    const file = path.join(directory, 'dashboard-queries.yml');
    fs.writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    const result = promtool(['check', 'rules', file]);
    fs.rmSync(directory, { recursive: true });
    expect([result.status, result.output]).toEqual([
      0,
      expect.stringContaining(`SUCCESS: ${rules.length} rules found`),
    ]);
  });
});
