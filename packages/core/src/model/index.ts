export * from './commands';
export * from './events';
export * from './facts';
export * from './order';
export * from './primitives';
export * from './record';
export * from './sanitize-text';
