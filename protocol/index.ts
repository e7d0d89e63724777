export * from './errors';
export * from './limits';
export * from './types';
export * from './events';
export * from './bridge';
export * from './urls';
export * as schemas from './schemas';
