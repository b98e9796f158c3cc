import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_STATES, PipelineRunStates } from './pipeline-run-states';

describe('PipelineRun states (the Succeeded condition status)', () => {
  it.each([
    ['Unknown', 'Unknown'],
    ['Unknown', 'True'],
    ['Unknown', 'False'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(PipelineRunStates.canTransition(from, to)).toBe(true);
  });

  it.each([
    ['True', 'Unknown'],
    ['False', 'Unknown'],
    ['True', 'False'],
    ['False', 'True'],
    ['True', 'True'],
  ] as const)('refuses %s → %s: a finished run stays finished', (from, to) => {
    expect(() => PipelineRunStates.assertTransition(from, to)).toThrow('PipelineRun');
  });

  it('ends in True or False, reached only from Unknown', () => {
    expect(PIPELINE_RUN_STATES.filter(PipelineRunStates.isTerminal)).toEqual(['True', 'False']);
    expect(PipelineRunStates.predecessors('False')).toEqual(['Unknown']);
  });
});
