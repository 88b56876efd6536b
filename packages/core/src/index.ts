export * from './errors';
export * from './machine';
export * from './model';
export * from './ports';
export * from './rules';
