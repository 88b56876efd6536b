export * from './demand';
export * from './router';
