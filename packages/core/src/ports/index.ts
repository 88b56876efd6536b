export * from './clock';
export * from './deliveries';
export * from './services';
export * from './storage';
export * from './store';
export * from './warehouse';
export * from './insights';
