export * from './errors';
export * from './limits';
export * from './types';
export * from './events';
export * from './bridge';
export * as schemas from './schemas';
