export * from './baseline';
export * from './drift-engine';
export * from './errors';
export * from './feature-drift';
export * from './query-cache';
export * from './results';
export * from './window';
