export * from './clock';
export * from './deliveries';
export * from './insights';
export * from './rates';
export * from './services';
export * from './storage';
export * from './store';
export * from './warehouse';
