export * from './check';
export * from './compile';
export * from './default-machine';
export * from './extend';
export * from './mermaid';
export * from './schema';
