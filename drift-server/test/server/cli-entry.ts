// The serve and token commands in a child process, for tests that need a real signal or a second process.
import { Command } from 'commander';
import { serveCommand } from '../../src/cli/serve';
import { tokenCommand } from '../../src/cli/token';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
  setExitCode: () => undefined,
};
new Command('drift-server')
  .addCommand(serveCommand(io))
  .addCommand(tokenCommand(io))
  .parseAsync(process.argv)
  .then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
  );
