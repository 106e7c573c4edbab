import { DataQuery } from '@grafana/schema';
import modelHealth from '../../../provisioning/grafana/dashboards/driftguard/model-health.json';
import pluginJson from '../plugin.json';

/** The queries the provisioned "DriftGuard — model health" dashboard gives this panel: tests run exactly those. */
export function panelQueries(): DataQuery[] {
  const panel = modelHealth.panels.find((candidate) => candidate.type === pluginJson.id);
  if (!panel?.targets) {
    throw new Error(`model-health.json has no ${pluginJson.id} panel with queries`);
  }
  return panel.targets as DataQuery[];
}
