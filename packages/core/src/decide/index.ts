export { decide } from './decide';
export { isPaid } from './flow';
export type { DecideConfig, Decision } from './types';
