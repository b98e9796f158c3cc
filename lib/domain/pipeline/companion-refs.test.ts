import { describe, expect, it } from 'vitest';
import { resolveTaskRun } from './resolve-task-run';
import { ZStepActionSpec, ZTaskSpec } from './task-schemas';

const context = { taskRunName: 'tr', namespace: 'default', taskRunUid: 'u', taskName: 't', retryCount: 0 };
const secretEnv = (name: string, key: string) => [{ name: 'V', valueFrom: { secretKeyRef: { name, key } } }];
const action = ZStepActionSpec.parse({ image: 'alpine', script: 'true', env: secretEnv('creds', 'token') });

describe('missing Secret and ConfigMap references (CreateContainerConfigError)', () => {
  it.each([
    [
      'a Secret that does not exist',
      { steps: [{ name: 's', image: 'a', script: 'x', env: secretEnv('gone', 'token') }] },
      'spec.steps[0].env[0].valueFrom',
      'Secret "gone" does not exist',
    ],
    [
      'a key the Secret lacks',
      { steps: [{ name: 's', image: 'a', script: 'x', env: secretEnv('creds', 'other') }] },
      'spec.steps[0].env[0].valueFrom',
      'Secret "creds" has no key "other"',
    ],
    [
      'from the stepTemplate',
      { stepTemplate: { env: secretEnv('gone', 'k') }, steps: [{ name: 's', image: 'a', script: 'x' }] },
      'spec.stepTemplate.env[0].valueFrom',
      'Secret "gone" does not exist',
    ],
    [
      "from a StepAction's env",
      { steps: [{ name: 's', ref: { name: 'uses-token' } }] },
      'stepaction(uses-token).spec.env[0].valueFrom',
      'Secret "creds" does not exist',
    ],
    [
      'an envFrom ConfigMap',
      { steps: [{ name: 's', image: 'a', script: 'x', envFrom: [{ configMapRef: { name: 'cm' } }] }] },
      'spec.steps[0].envFrom[0]',
      'ConfigMap "cm" does not exist',
    ],
  ])('%s', (_name, spec, path, message) => {
    const secretKeys: Record<string, string[]> = message.includes('has no key') ? { creds: ['token'] } : {};
    const resolved = resolveTaskRun({
      spec: ZTaskSpec.parse(spec),
      params: {},
      context,
      secretKeys,
      stepActions: () => action,
    });
    expect(resolved).toEqual({
      ok: false,
      errors: [expect.objectContaining({ reason: 'CreateContainerConfigError', path, message })],
    });
  });
});
