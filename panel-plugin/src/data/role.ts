import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';

/**
 * Editors and Admins of the organisation may schedule retraining: the data source's `operate` route
 * requires Editor, and Grafana's data proxy checks the ORG role only (RoleType.Includes in
 * pkg/api/pluginproxy/ds_proxy.go), so a server admin who is a Viewer in this org gets 403 there.
 * The panel mirrors that rule to explain it instead of letting the request fail.
 */
export function canOperate(): boolean {
  const role = config.bootData?.user?.orgRole;
  return role === OrgRole.Editor || role === OrgRole.Admin;
}
