import { describe, expect, it } from 'vitest';
import { OPERATION_PHASES, OperationPhases } from './operation-phases';

const allowed = [
  ['Running', 'Running'],
  ['Running', 'Terminating'],
  ['Running', 'Succeeded'],
  ['Running', 'Failed'],
  ['Running', 'Error'],
  ['Terminating', 'Terminating'],
  ['Terminating', 'Failed'],
  ['Terminating', 'Error'],
] as const;

describe('operation phases', () => {
  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(OperationPhases.canTransition(from, to)).toBe(true);
  });

  it.each([
    ['Terminating', 'Running'],
    ['Terminating', 'Succeeded'],
    ['Succeeded', 'Running'],
    ['Failed', 'Running'],
    ['Error', 'Failed'],
  ] as const)('refuses %s → %s', (from, to) => {
    expect(OperationPhases.canTransition(from, to)).toBe(false);
  });

  it('ends in Succeeded, Failed or Error', () => {
    expect(OPERATION_PHASES.filter(OperationPhases.isTerminal)).toEqual(['Succeeded', 'Failed', 'Error']);
    expect(OperationPhases.predecessors('Succeeded')).toEqual(['Running']);
    expect(OperationPhases.predecessors('Failed')).toEqual(['Running', 'Terminating']);
  });
});
