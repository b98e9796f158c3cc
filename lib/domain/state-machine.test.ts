import { describe, expect, it } from 'vitest';
import { anyToAny, InvalidTransitionError, stateMachine } from './state-machine';

const light = stateMachine('Light', ['red', 'green', 'amber', 'off'], {
  red: ['green', 'off'],
  green: ['amber'],
  amber: ['red'],
  off: [],
});

describe('stateMachine', () => {
  it('allows exactly the moves its table lists', () => {
    expect(light.canTransition('red', 'green')).toBe(true);
    expect(light.canTransition('green', 'red')).toBe(false);
    expect(light.canTransition('red', 'red')).toBe(false);
  });

  it('throws an InvalidTransitionError naming the machine and both states for a refused move', () => {
    expect(() => light.assertTransition('amber', 'red')).not.toThrow();
    expect(() => light.assertTransition('off', 'red')).toThrow(InvalidTransitionError);
    expect(() => light.assertTransition('off', 'red')).toThrow('Light: no transition from off to red');
  });

  it('lists the predecessors of a state in the order of the states, for compare-and-set guards', () => {
    expect(light.predecessors('red')).toEqual(['amber']);
    expect(light.predecessors('off')).toEqual(['red']);
    expect(light.predecessors('amber')).toEqual(['green']);
  });

  it('knows its terminal states and its own values', () => {
    expect(light.states.filter(light.isTerminal)).toEqual(['off']);
    expect(light.isState('green')).toBe(true);
    expect(light.isState('blue')).toBe(false);
  });

  it('anyToAny lets every state follow every state, itself included', () => {
    const m = stateMachine('Any', ['a', 'b'], anyToAny(['a', 'b'] as const));
    expect(m.predecessors('a')).toEqual(['a', 'b']);
    expect(m.states.some(m.isTerminal)).toBe(false);
  });
});
