import { describe, expect, it } from 'vitest';
import { hydratePlan, secretsReferenced } from './hydrate-plan';
import type { TaskRunPlan, WorkspacePlan } from './task-run-plan';

const stored: TaskRunPlan = {
  taskRunName: 'tr',
  steps: [
    { name: 'a', env: { PLAIN: 'x' }, secretEnv: { TOKEN: { secret: 'creds', key: 'token' } }, onError: 'stopAndFail' },
    { name: 'b', env: {}, onError: 'stopAndFail' },
  ],
  workspaces: [],
  resultNames: [],
  secretsToMask: [],
  maskRefs: [
    { secret: 'creds', key: 'token' },
    { secret: 'files', key: 'cert' },
  ],
};

describe('hydratePlan', () => {
  it('lists the Secrets a plan needs', () => {
    expect(secretsReferenced(stored).sort()).toEqual(['creds', 'files']);
  });

  it('puts the values into env and the mask list, leaving no references behind', () => {
    const result = hydratePlan(stored, { creds: { token: 'tok-1' }, files: { cert: 'PEM' } });
    if (!result.ok) throw new Error(result.message);
    expect(result.plan.steps[0]).toEqual({ name: 'a', env: { PLAIN: 'x', TOKEN: 'tok-1' }, onError: 'stopAndFail' });
    expect(result.plan.secretsToMask.sort()).toEqual(['PEM', 'tok-1']);
    expect(stored.steps[0].env).toEqual({ PLAIN: 'x' });
  });

  it("fills the Secret files of a workspace's Kubernetes source (secret, projected), keeping a ref it lacks", () => {
    const ws = (name: string, source: WorkspacePlan['source']): WorkspacePlan => ({
      name,
      mountPath: `/workspace/${name}`,
      hostPath: `/h/${name}`,
      readOnly: true,
      source,
    });
    const plan: TaskRunPlan = {
      ...stored,
      workspaces: [
        ws('creds', { kind: 'files', files: [{ path: 'cert', secret: { secret: 'files', key: 'cert' } }] }),
        ws('meta', {
          kind: 'projected',
          files: [
            { path: 'a', value: 'A' },
            { path: 'gone', secret: { secret: 'files', key: 'gone' } },
          ],
          sources: [{ downwardAPI: {} }],
        }),
        ws('plain', { kind: 'emptyDir' }),
      ],
    };
    const result = hydratePlan(plan, { creds: { token: 'tok-1' }, files: { cert: 'PEM' } });
    if (!result.ok) throw new Error(result.message);
    expect(result.plan.workspaces.map((w) => w.source)).toEqual([
      { kind: 'files', files: [{ path: 'cert', value: 'PEM' }] },
      {
        kind: 'projected',
        files: [
          { path: 'a', value: 'A' },
          { path: 'gone', secret: { secret: 'files', key: 'gone' } },
        ],
        sources: [{ downwardAPI: {} }],
      },
      { kind: 'emptyDir' },
    ]);
    // The stored plan keeps references only.
    expect(JSON.stringify(plan)).not.toContain('PEM');
  });

  it('fails when a Secret key is gone', () => {
    const result = hydratePlan(stored, { creds: {}, files: { cert: 'PEM' } });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('Secret "creds" has no key "token"') });
  });
});

describe('hydratePlan: env a pod takes from Keelson Secrets (sidecars, podTemplate)', () => {
  const fromSecret = (name: string, secret: string, key: string, optional?: boolean) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key, ...(optional ? { optional } : {}) } },
  });
  const podPlan: TaskRunPlan = {
    ...stored,
    maskRefs: [{ secret: 'creds', key: 'token' }],
    sidecars: [
      {
        name: 'db',
        container: { image: 'postgres', env: [{ name: 'X', value: 'plain' }, fromSecret('PW', 'db', 'password')] },
      },
    ],
    pod: {
      podTemplate: {
        env: [fromSecret('NPM', 'npm', 'token'), fromSecret('MAYBE', 'optional-one', 'k', true), { name: 'Y' }],
      },
    },
  };

  it('lists their Secrets, so the worker loads them for the executor', () => {
    expect(secretsReferenced(podPlan).sort()).toEqual(['creds', 'db', 'npm', 'optional-one']);
  });

  it('masks their values in logs; a key the worker lacks fails no run here (the pod builder names it)', () => {
    const result = hydratePlan(podPlan, { creds: { token: 'tok-1' }, db: { password: 'pw-9' }, npm: { token: 'n-7' } });
    if (!result.ok) throw new Error(result.message);
    expect(result.plan.secretsToMask.sort()).toEqual(['n-7', 'pw-9', 'tok-1']);
    // The env itself stays a reference: its value goes into the run Secret, never into the pod spec.
    expect(result.plan.sidecars?.[0].container?.env).toEqual(podPlan.sidecars?.[0].container?.env);
  });
});
