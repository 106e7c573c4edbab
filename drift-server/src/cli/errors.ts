/** An error the CLI reports as one line on stderr with its exit code, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2
  ) {
    super(message);
  }
}
