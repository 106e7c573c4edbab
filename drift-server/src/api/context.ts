import type { Principal } from '../store';

export interface AppVariables {
  requestId: string;
  principal: Principal;
}

export interface AppEnv {
  Variables: AppVariables;
}
