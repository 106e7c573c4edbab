/** Where a CLI command writes, and how it sets the exit code; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  setExitCode: (code: number) => void;
}
