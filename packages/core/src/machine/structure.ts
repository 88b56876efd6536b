import type { MachineDefinition } from './schema';

/** One structural problem in a machine definition, with the path that names it. */
export interface StructureIssue {
  /** Where the problem is, e.g. `machine.states.ready.on.SUBMIT`. */
  path: string;
  message: string;
}

/**
 * Finds the problems zod cannot see in a parsed definition: an `initial` that
 * is not a state, and transition targets that are not states. Uses own-property
 * checks, so a target such as `constructor` is never mistaken for a state.
 *
 * @param root - prefix for every path (`machine` by default).
 */
export function structureIssues(definition: MachineDefinition, root = 'machine'): StructureIssue[] {
  const issues: StructureIssue[] = [];
  const { states } = definition;
  if (!Object.hasOwn(states, definition.initial)) {
    issues.push({
      path: `${root}.initial`,
      message: `"${definition.initial}" is not a state`,
    });
  }
  for (const [name, state] of Object.entries(states)) {
    for (const [event, target] of Object.entries(state.on)) {
      if (!Object.hasOwn(states, target)) {
        issues.push({
          path: `${root}.states.${name}.on.${event}`,
          message: `target "${target}" is not a state`,
        });
      }
    }
  }
  return issues;
}

/** Formats issues the way {@link FulfilError} messages list them: `path: message; ...`. */
export function formatIssues(issues: readonly StructureIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}
