export * from './callback';
export * from './runner';
export * from './scheduler';
export * from './state-machine';
