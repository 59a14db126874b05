import { limitError } from '../script-outcome';
import type { SandboxLimitKind, SandboxLimits, ScriptOutcome } from '../sandbox.types';

/**
 * Asserts that a run was stopped by one of `kinds`, with that limit's documented error. Which of
 * several limits trips first (CPU, wall clock, memory) is a race on a busy machine, so a test of
 * containment names every limit that may win; a test of one limit gives the others room.
 */
export function expectStoppedByLimit(
  outcome: ScriptOutcome,
  limits: SandboxLimits,
  ...kinds: SandboxLimitKind[]
): void {
  expect(outcome.ok).toBe(false);
  expect(kinds).toContain(outcome.error?.limit);
  expect(outcome.error).toMatchObject(limitError(outcome.error!.limit!, limits));
}
