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

  it('merges computeResources and securityContext field by field and takes imagePullPolicy from the step first', () => {
    // As upstream's MergeStepsWithStepTemplate (a strategic merge patch of the container).
    const merged = mergeStepTemplate(
      {
        name: 's',
        computeResources: { requests: { memory: '1Gi' } },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      },
      {
        imagePullPolicy: 'Always',
        computeResources: { requests: { cpu: '500m' }, limits: { cpu: '1' } },
        securityContext: { runAsUser: 1000, capabilities: { add: ['NET_ADMIN'] } },
      },
    );
    expect(merged.imagePullPolicy).toBe('Always');
    expect(merged.computeResources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
    expect(merged.securityContext).toEqual({
      runAsUser: 1000,
      runAsNonRoot: true,
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    });
    expect(mergeStepTemplate({ name: 's', imagePullPolicy: 'Never' }, { imagePullPolicy: 'Always' })).toMatchObject({
      imagePullPolicy: 'Never',
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
