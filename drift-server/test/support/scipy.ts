import { spawnSync } from 'node:child_process';

/** Debian's python with numpy and scipy (`.ci/run` installs python3-numpy and python3-scipy); the python first on PATH may lack them. */
const PYTHON = '/usr/bin/python3';

/**
 * Runs a Python script with numpy (np), scipy.stats (stats) and scipy.special (special) imported,
 * `data` (JSON-decoded stdin) defined, and returns the JSON it prints as `emit(value)`.
 */
export function python<T>(script: string, data: unknown = null): T {
  const program = `import json, sys\nimport numpy as np\nfrom scipy import stats, special\ndata = json.load(sys.stdin)\ndef emit(value):\n    print(json.dumps(value))\n${script}`;
  const result = spawnSync(PYTHON, ['-c', program], {
    input: JSON.stringify(data),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`python failed (${result.error?.message ?? result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
