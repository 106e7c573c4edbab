import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';

/**
 * Editors and Admins may schedule retraining: the data source's `operate` route requires Editor,
 * so the panel mirrors that rule to explain it instead of letting a Viewer's request fail.
 */
export function canOperate(): boolean {
  const role = config.bootData?.user?.orgRole;
  return role === OrgRole.Editor || role === OrgRole.Admin || config.bootData?.user?.isGrafanaAdmin === true;
}
