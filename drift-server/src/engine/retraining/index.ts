export { AlertPolicy } from './alert-policy';
export * from './callback';
export * from './runner';
export * from './scheduler';
export * from './signature';
export * from './state-machine';
