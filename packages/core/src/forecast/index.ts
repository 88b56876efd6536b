export * from './cover';
export * from './forecaster';
export * from './model';
export * from './source';
