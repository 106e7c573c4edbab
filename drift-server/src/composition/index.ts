export { composeApp, composeRunner, openCore, PACKAGE_VERSION } from './root';
export type { Core } from './root';
export { StartupError } from './errors';
