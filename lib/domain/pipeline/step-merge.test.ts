import { describe, expect, it } from 'vitest';
import { mergeStepTemplate, stepName } from './step-merge';

describe('mergeStepTemplate', () => {
  it('fills gaps from the template, merges env by name and lets the step win', () => {
    const merged = mergeStepTemplate(
      {
        name: 's',
        command: ['make'],
        env: [
          { name: 'B', value: 'step' },
          { name: 'C', value: 'c' },
        ],
        envFrom: [{ secretRef: { name: 'x' } }],
      },
      {
        image: 'alpine',
        command: ['sh'],
        workingDir: '/w',
        env: [
          { name: 'A', value: 'a' },
          { name: 'B', value: 'template' },
        ],
        envFrom: [{ configMapRef: { name: 'y' } }],
      },
    );
    expect(merged).toEqual({
      name: 's',
      image: 'alpine',
      command: ['make'],
      args: undefined,
      workingDir: '/w',
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: 'step' },
        { name: 'C', value: 'c' },
      ],
      envFrom: [{ configMapRef: { name: 'y' } }, { secretRef: { name: 'x' } }],
    });
  });

  it('returns the step unchanged without a template', () => {
    const step = { name: 's', image: 'a' };
    expect(mergeStepTemplate(step, undefined)).toBe(step);
  });

  it.each([
    [{ name: 'build' }, 0, 'build'],
    [{}, 2, 'unnamed-2'],
  ])('names %j at %d as %s', (step, i, name) => {
    expect(stepName(step, i)).toBe(name);
  });
});
