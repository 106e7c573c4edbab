import { readText } from './support/files';
import { contractMetricNames } from './support/promql';

const guide = readText('docs/GRAFANA.md');

describe('docs/GRAFANA.md', () => {
  it('documents every metric drift-server exposes', async () => {
    for (const name of await contractMetricNames()) expect([name, guide.includes(`\`${name}`)]).toEqual([name, true]);
  });

  it('covers the two ways in and alerting on PSI', () => {
    for (const heading of [
      '## Quick start with docker compose',
      '## Supported Grafana versions',
      '## Sub-path deployments',
      '## Add DriftGuard to an existing Grafana and Prometheus',
      '## Alert on PSI',
    ]) {
      expect(guide).toContain(heading);
    }
  });
});
