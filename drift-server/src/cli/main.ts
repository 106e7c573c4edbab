import { Command, CommanderError } from 'commander';
import { compareCommand } from './compare';
import { demoCommand } from './demo';
import { reportCommand } from './report';
import { ingestCommand } from './ingest';
import { modelCommand } from './model';
import { serveCommand } from './serve';
import { tokenCommand } from './token';
import { CliError } from './errors';
import { CliIo } from './io';


function buildProgram(io: CliIo): Command {
  const program = new Command('drift-server')
    .description('DriftGuard: drift statistics, model health and the REST API Grafana reads.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program.addCommand(serveCommand(io));
  program.addCommand(compareCommand(io));
  program.addCommand(demoCommand(io));
  program.addCommand(reportCommand(io));
  program.addCommand(modelCommand(io));
  program.addCommand(ingestCommand(io));
  program.addCommand(tokenCommand(io));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
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
    await buildProgram(fullIo).parseAsync(argv);
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
