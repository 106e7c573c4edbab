import { Command, CommanderError } from 'commander';
import { CliError } from './errors';
import { CliIo } from './io';

type CommandFactory = (io: CliIo) => Command;

/**
 * Every command with the line `drift-server --help` shows for it, and where it lives. A command's
 * module is loaded only when that command runs: the server, DuckDB, the report renderer and the API
 * schemas take about a second to load, which `ingest`, `compare` and `--help` should not pay for.
 * Hence `require` at run time rather than imports at the top.
 */
const COMMANDS: Record<string, { readonly summary: string; readonly load: () => CommandFactory }> = {
  serve: {
    summary: 'serve the REST API over a DuckDB file',
    load: () => (require('./serve') as typeof import('./serve')).serveCommand,
  },
  compare: {
    summary: 'compare two CSV files feature by feature, without a server',
    load: () => (require('./compare') as typeof import('./compare')).compareCommand,
  },
  demo: {
    summary: 'load a demo scenario, print its health and serve it',
    load: () => (require('./demo') as typeof import('./demo')).demoCommand,
  },
  report: {
    summary: 'write a CSV or PDF drift report of a model',
    load: () => (require('./report') as typeof import('./report')).reportCommand,
  },
  model: {
    summary: 'register, list, show and delete models on a running server',
    load: () => (require('./model') as typeof import('./model')).modelCommand,
  },
  ingest: {
    summary: 'upload predictions, labels or a reference version to a running server',
    load: () => (require('./ingest') as typeof import('./ingest')).ingestCommand,
  },
  token: {
    summary: 'manage API bearer tokens',
    load: () => (require('./token') as typeof import('./token')).tokenCommand,
  },
};

/** The command an argument list runs: its first operand, or the one after `help`. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const operands = argv.slice(2).filter((argument) => !argument.startsWith('-'));
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

function buildProgram(io: CliIo, argv: readonly string[]): Command {
  const program = new Command('drift-server')
    .description('DriftGuard: drift statistics, model health and the REST API Grafana reads.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  const requested = requestedCommand(argv);
  for (const [name, { summary, load }] of Object.entries(COMMANDS)) {
    // The others are listed by name and summary only; none of them can run in this process.
    const command = name === requested ? load()(io) : new Command(name);
    program.addCommand(command.summary(summary));
  }
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs the CLI and resolves to the process exit code; errors become one line on stderr. */
export async function main(argv: string[], io?: Partial<Pick<CliIo, 'out' | 'err'>>): Promise<number> {
  let exitCode = 0;
  const fullIo: CliIo = {
    out: io?.out ?? ((text) => process.stdout.write(text)),
    err: io?.err ?? ((text) => process.stderr.write(text)),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    await buildProgram(fullIo, argv).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      fullIo.err(`drift-server: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
