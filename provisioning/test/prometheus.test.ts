import { promtool } from '../../drift-server/test/metrics/promtool';
import { containerPorts, loadCompose, mounts, service } from './support/compose';
import { readYaml, repoPath } from './support/files';
import { dataSources } from './support/grafana';

const CONFIG = 'provisioning/prometheus/prometheus.yml';

interface PrometheusConfig {
  readonly global: { readonly scrape_interval: string };
  readonly scrape_configs: {
    readonly job_name: string;
    readonly metrics_path: string;
    readonly static_configs: { readonly targets: string[] }[];
  }[];
}

const config = readYaml<PrometheusConfig>(CONFIG);
const compose = loadCompose();

describe(CONFIG, () => {
  it('passes promtool check config', () => {
    const result = promtool(['check', 'config', repoPath(CONFIG)]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it("scrapes drift-server's /metrics on the port the drift-server service listens on", () => {
    const job = config.scrape_configs.find((scrape) => scrape.job_name === 'driftguard');
    expect(job?.metrics_path).toBe('/metrics');
    const targets = job?.static_configs.flatMap((group) => group.targets) ?? [];
    expect(targets).toEqual([`drift-server:${containerPorts(service(compose, 'drift-server'))[0]}`]);
  });

  it('is the file the prometheus service runs with', () => {
    const prometheus = service(compose, 'prometheus');
    const mounted = mounts(prometheus).find((mount) => mount.source === `./${CONFIG}`);
    expect(prometheus.command).toContain(`--config.file=${mounted?.target}`);
  });

  it("scrapes as often as Grafana's Prometheus data source expects", () => {
    expect(dataSources().find((source) => source.uid === 'prometheus')?.jsonData?.timeInterval).toBe(
      config.global.scrape_interval
    );
  });
});
