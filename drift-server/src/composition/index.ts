export { composeApp, composeCore, composeRunner, openCore, openStore, PACKAGE_VERSION } from './root';
export type { AppContext, Core } from './root';
export { StartupError } from './errors';
