export {
  type Assignment,
  compileProblem,
  fillableUnits,
  type Problem,
  placementBound,
  solveAssignment,
  stockVector,
} from './assign';
export * from './cost';
export * from './demand';
export { emptyScore } from './explain';
export * from './kits';
export type { PlanGap } from './lower-bound';
export * from './optimal-router';
export * from './prepare';
export * from './protect';
export * from './router';
export * from './score';
