import { existsSync, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { BaselineChoice, EngineInputError, parseBaseline, resolveWindow, TimeWindow } from '../engine';
import { buildReport, CSV_TABLES, CsvTable, reportCsv, reportHash, reportPdf } from '../reports';
import { openCore } from '../composition';
import { NotFoundError } from '../store';
import { CliError } from './errors';
import { CliIo } from './io';
import { cliConfig, openDatabase } from './serve';

interface ReportFlags {
  model: string;
  from: string;
  to: string;
  reference: string;
  format: 'csv' | 'pdf';
  table?: CsvTable;
  output: string;
  db?: string;
}

/** Bad dates, an unknown model or reference version: a one-line message, not a stack trace. */
function asCliError(error: unknown): never {
  if (error instanceof EngineInputError || error instanceof NotFoundError) throw new CliError(error.message);
  throw error;
}

function windowAndBaseline(flags: ReportFlags): { window: TimeWindow; baseline: BaselineChoice } {
  try {
    return { window: resolveWindow(flags.from, flags.to), baseline: parseBaseline(flags.reference) };
  } catch (error) {
    return asCliError(error);
  }
}

/**
 * `drift-server report`: the report the API serves at /models/{id}/report.csv|pdf, written to a
 * file from the database file directly (DuckDB allows one process, so not while a server holds it).
 */
export function reportCommand(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  return new Command('report')
    .description(
      'Write a drift report of a model over a window: CSV (feature table or daily trends) or PDF (docs/REPORTS.md)'
    )
    .requiredOption('--model <id>', 'model id')
    .requiredOption('--from <time>', 'window start, ISO 8601 (UTC without a zone) or epoch ms; floored to the hour')
    .requiredOption('--to <time>', 'window end (exclusive); ceiled to the hour')
    .option('--reference <baseline>', 'latest, a reference version number, or previous_period', 'latest')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'pdf']).makeOptionMandatory())
    .addOption(new Option('--table <table>', 'CSV table (default features)').choices(CSV_TABLES))
    .requiredOption('-o, --output <file>', 'file to write')
    .option('--db <path>', 'database file (env DRIFTGUARD_DB, default ./driftguard.duckdb)')
    .action(async (flags: ReportFlags) => {
      if (flags.format === 'pdf' && flags.table !== undefined)
        throw new CliError('--table applies to --format csv only');
      const { window, baseline } = windowAndBaseline(flags);
      const config = cliConfig(env, { dbPath: flags.db });
      // Opening a missing file would create an empty database and report "no such model".
      if (!existsSync(config.dbPath)) throw new CliError(`no database at ${config.dbPath} (set --db or DRIFTGUARD_DB)`);
      const core = await openDatabase(() => openCore({ ...config, demoTokens: [] }));
      const { engine } = core;
      try {
        const content = await buildReport(engine, flags.model, window, baseline).catch(asCliError);
        // Written only once the figures exist, so a failed report leaves no partial file behind.
        if (flags.format === 'csv') await writeFile(flags.output, reportCsv(content, flags.table ?? 'features'));
        else await pipeline(reportPdf(content, new Date()), createWriteStream(flags.output));
        io.out(
          `Wrote ${flags.output}: ${flags.model}, ${content.window.from} to ${content.window.to}, SHA-256 of report data ${reportHash(content)}\n`
        );
      } finally {
        await core.close();
      }
    });
}
