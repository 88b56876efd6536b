export * from './default-machine';
export * from './schema';
