import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../store';

export interface AppVariables {
  requestId: string;
  principal: Principal;
  /** The model a state-changing call concerns when its path does not name it (for the audit log). */
  auditModelId?: string | null;
}

export interface AppEnv {
  Variables: AppVariables;
  /** The Node request and response under @hono/node-server; absent when the app is called directly (app.request). */
  Bindings: Partial<HttpBindings>;
}
