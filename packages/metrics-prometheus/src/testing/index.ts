export * from './exposition';
