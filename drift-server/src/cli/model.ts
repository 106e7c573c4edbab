import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Command } from 'commander';
import { parseDocument } from 'yaml';
import { describeIssues } from '../api/problems';
import { ModelCreateSchema } from '../api/routes/models.schemas';
import type { Model, ReferenceVersion } from '../store';
import { count } from '../number-format';
import { CliError } from './errors';
import { CliIo } from './io';
import { callServer, ServerFlags, withServerOptions } from './server-client';

interface OutputFlags extends ServerFlags {
  json?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The model file's content: JSON (.json) or YAML (.yaml, .yml; YAML also reads JSON). */
async function readModelFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (extension !== '.yaml' && extension !== '.yml')
    throw new CliError(`cannot tell the format of ${file}: name it .json, .yaml or .yml`);
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new CliError(`${file} is not valid YAML: ${document.errors[0].message}`);
  return document.toJS();
}

/** The definition checked with the API's own schema, so a mistake is named (field and reason) before anything is sent. */
function checkedDefinition(file: string, definition: unknown): void {
  const result = ModelCreateSchema.safeParse(definition);
  if (!result.success) throw new CliError(`${file}: ${describeIssues(result.error)}`);
}

const idOf = (value: string) => `/models/${encodeURIComponent(value)}`;

function modelText(model: Model, versions: readonly ReferenceVersion[]): string {
  const { business, columns, retraining } = model;
  const lines = [
    `${model.id}: ${model.name} (${model.task.replaceAll('_', ' ')}), ${model.buckets} bins per numeric feature, registered ${model.created_at}`,
    `Features (${model.features.length}):`,
    ...model.features.map(
      (feature) => `  ${feature.name.padEnd(28)} ${feature.kind.padEnd(12)} importance ${feature.importance}`
    ),
    `Columns: ${Object.entries(columns)
      .map(([role, column]) => `${role} = ${column ?? 'none'}`)
      .join(', ')}`,
    `Business: ${Object.entries(business)
      .map(([name, value]) => `${name} ${value ?? 'unset'}`)
      .join(', ')}`,
    `Retraining: policy ${retraining.policy}, trainer ${retraining.trainer?.kind ?? 'none'}`,
    versions.length === 0
      ? 'References: none yet; upload one with drift-server ingest --kind reference'
      : `References: ${versions.map((version) => `v${version.version} (${count(version.row_count)} rows, ${version.created_at})`).join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `drift-server model create|list|show|delete`: the model registry of a running drift-server
 * (DuckDB lets one process hold the database, so these go through its API, like `ingest`).
 */
export function modelCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  const model = new Command('model').description(
    'Register, list, show and delete models on a running drift-server (env DRIFTGUARD_URL, DRIFTGUARD_TOKEN)'
  );
  const print = (flags: OutputFlags, answer: unknown, text: () => string) =>
    io.out(flags.json ? `${JSON.stringify(answer, null, 2)}\n` : text());

  withServerOptions(
    model
      .command('create')
      .description(
        'Register a model from a JSON or YAML file holding the body of POST /api/v1/models (docs/API.md "Models")'
      )
      .argument('<file>', 'model definition, .json, .yaml or .yml')
      .option('--json', 'print the registered model as JSON'),
    env,
    'admin'
  ).action(async (file: string, flags: OutputFlags) => {
    const definition = await readModelFile(file);
    checkedDefinition(file, definition);
    const response = await callServer(flags, '/models', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(definition),
      refused: 'registration refused',
      scope: 'admin',
    });
    const created = (await response.json()) as Model;
    print(
      flags,
      created,
      () =>
        `Registered model ${created.id} (${created.name}) with ${created.features.length} features: ${created.features.map((feature) => feature.name).join(', ')}\n`
    );
  });

  withServerOptions(
    model.command('list').description('List registered models').option('--json', 'print the models as JSON'),
    env,
    'read'
  ).action(async (flags: OutputFlags) => {
    const { models } = (await (
      await callServer(flags, '/models', { refused: 'listing refused', scope: 'read' })
    ).json()) as { models: Model[] };
    print(flags, { models }, () => {
      if (models.length === 0) return 'No models registered yet: drift-server model create <file>\n';
      const width = Math.max(2, ...models.map((entry) => entry.id.length));
      const rows = models.map(
        (entry) =>
          `${entry.id.padEnd(width)}  ${String(entry.features.length).padStart(8)}  ${entry.task.padEnd(26)}${entry.name}`
      );
      return `${['id'.padEnd(width), 'features', 'task'.padEnd(26)].join('  ')}name\n${rows.join('\n')}\n`;
    });
  });

  withServerOptions(
    model
      .command('show')
      .description('Show a model: features, columns, business parameters, retraining and reference versions')
      .argument('<id>', 'model id')
      .option('--json', 'print the model as JSON (GET /api/v1/models/{id})'),
    env,
    'read'
  ).action(async (id: string, flags: OutputFlags) => {
    const shown = (await (
      await callServer(flags, idOf(id), { refused: 'show refused', scope: 'read' })
    ).json()) as Model;
    const { versions } = (await (
      await callServer(flags, `${idOf(id)}/references`, { refused: 'show refused', scope: 'read' })
    ).json()) as { versions: ReferenceVersion[] };
    print(flags, shown, () => modelText(shown, versions));
  });

  withServerOptions(
    model
      .command('delete')
      .description(
        'Delete a model with all its reference versions, production rows, aggregates, labels and retrain jobs'
      )
      .argument('<id>', 'model id')
      .option('--yes', 'confirm: the data cannot be recovered'),
    env,
    'admin'
  ).action(async (id: string, flags: ServerFlags & { yes?: boolean }) => {
    if (!flags.yes) throw new CliError(`deleting ${id} removes all its data for good; run again with --yes to confirm`);
    await callServer(flags, idOf(id), { method: 'DELETE', refused: 'delete refused', scope: 'admin' });
    io.out(`Deleted model ${id} and all its data\n`);
  });

  // Subcommands made here do not inherit the settings main() gives its direct children.
  for (const command of model.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return model;
}
