import { spawnSync } from 'node:child_process';

export interface ToolResult {
  readonly status: number;
  readonly output: string;
}

/** Runs a command-line tool from a Debian package; a missing tool fails the test rather than skipping it. */
export function runDebianTool(
  tool: string,
  debianPackage: string,
  args: readonly string[],
  input?: string
): ToolResult {
  const result = spawnSync(tool, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `${tool} not found: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage})`
    );
  }
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

export function promtool(args: readonly string[], input?: string): ToolResult {
  return runDebianTool('promtool', 'prometheus', args, input);
}
