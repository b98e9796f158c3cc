import { describe, expect, it } from 'vitest';
import { resolveTaskRun, type ResolveTaskRunInput } from './resolve-task-run';
import { ZStepActionSpec, ZTaskSpec } from './task-schemas';

const context = {
  taskRunName: 'pr-build',
  namespace: 'default',
  taskRunUid: 'uid-1',
  taskName: 'build',
  retryCount: 1,
  pipelineRunName: 'pr',
  pipelineName: 'ci',
};

const spec = ZTaskSpec.parse({
  params: [
    { name: 'url' },
    { name: 'flags', type: 'array', default: ['-v'] },
    { name: 'repo', type: 'object', properties: { branch: {} }, default: { branch: 'main' } },
  ],
  results: [{ name: 'sha' }],
  workspaces: [
    { name: 'source' },
    { name: 'cache', optional: true },
    { name: 'conf', mountPath: '/etc/conf', readOnly: true },
  ],
  stepTemplate: {
    image: 'alpine',
    workingDir: '/template',
    env: [
      { name: 'A', value: 'template' },
      { name: 'B', value: 'template' },
    ],
  },
  steps: [
    {
      name: 'clone',
      script:
        'git clone $(params.url) $(workspaces.source.path) -b $(params.repo.branch)\necho $(context.taskRun.name) $(context.task.retry-count) > $(results.sha.path)',
      env: [
        { name: 'B', value: 'step' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
      ],
      timeout: '1m30s',
    },
    {
      image: 'golang',
      command: ['go', 'test', '$(params.flags[*])', './...'],
      args: ['$(params.flags[0])'],
      workingDir: '$(workspaces.source.path)/app',
      onError: 'continue',
      envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
    },
    {
      name: 'check',
      script:
        'cat $(steps.step-clone.exitCode.path); [ "$(workspaces.cache.bound)" = false ]; echo "$(context.pipelineRun.name)/$(context.pipeline.name)"',
    },
  ],
});

const base: ResolveTaskRunInput = {
  spec,
  params: { url: 'https://git/x' },
  context,
  workspaces: {
    source: { hostPath: '/runs/1/source' },
    conf: { hostPath: '/runs/1/conf', secretRefs: [{ secret: 'files', key: 'cert' }] },
  },
  timeoutMs: 600_000,
  secretKeys: { creds: ['token'] },
  configMaps: { settings: { level: 'debug' } },
};

describe('resolveTaskRun', () => {
  it('carries a step’s displayName verbatim (upstream substitutes nothing in it) for the run page', () => {
    const withDisplay = ZTaskSpec.parse({
      steps: [
        { name: 'build', displayName: 'Build $(params.x) ✓', script: 'true' },
        { name: 'plain', script: 'true' },
      ],
    });
    const result = resolveTaskRun({ ...base, spec: withDisplay, params: {}, workspaces: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.steps.map((s) => s.displayName)).toEqual(['Build $(params.x) ✓', undefined]);
  });

  it('produces a fully substituted plan', () => {
    const result = resolveTaskRun(base);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { plan } = result;
    expect(plan.taskRunName).toBe('pr-build');
    expect(plan.timeoutMs).toBe(600_000);
    expect(plan.resultNames).toEqual(['sha']);
    expect(plan.steps[0]).toEqual({
      name: 'clone',
      image: 'alpine',
      script: 'git clone https://git/x /workspace/source -b main\necho pr-build 1 > /tekton/results/sha',
      command: undefined,
      args: undefined,
      env: { A: 'template', B: 'step' },
      secretEnv: { TOKEN: { secret: 'creds', key: 'token' } },
      workingDir: '/template',
      timeoutMs: 90_000,
      onError: 'stopAndFail',
    });
    expect(plan.steps[1]).toMatchObject({
      name: 'unnamed-1',
      image: 'golang',
      command: ['go', 'test', '-v', './...'],
      args: ['-v'],
      workingDir: '/workspace/source/app',
      env: { A: 'template', B: 'template', CFG_level: 'debug' },
      onError: 'continue',
    });
    expect(plan.steps[2].script).toBe('cat /tekton/steps/step-clone/exitCode; [ "false" = false ]; echo "pr/ci"');
    expect(plan.workspaces).toEqual([
      { name: 'source', mountPath: '/workspace/source', hostPath: '/runs/1/source', readOnly: false },
      { name: 'conf', mountPath: '/etc/conf', hostPath: '/runs/1/conf', readOnly: true },
    ]);
    // References only: no Secret value is in the plan that gets stored.
    expect(plan.secretsToMask).toEqual([]);
    expect(plan.maskRefs).toEqual([
      { secret: 'files', key: 'cert' },
      { secret: 'creds', key: 'token' },
    ]);
  });

  it.each<[string, Partial<ResolveTaskRunInput>, string[]]>([
    ['a missing param', { params: {} }, ['ParameterMissing spec.params']],
    ['a wrong param type', { params: { url: ['a'] } }, ['ParameterTypeMismatch params.url']],
    [
      'an unbound required workspace',
      { workspaces: { conf: { hostPath: '/c' } } },
      ['TaskRunValidationFailed spec.workspaces'],
    ],
    [
      'a missing secret key',
      { secretKeys: { creds: [] } },
      ['CreateContainerConfigError spec.steps[0].env[1].valueFrom'],
    ],
    ['a missing ConfigMap', { configMaps: {} }, ['CreateContainerConfigError spec.steps[1].envFrom[0]']],
  ])('%s fails', (_label, override, expected) => {
    const result = resolveTaskRun({ ...base, ...override });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => `${e.reason} ${e.path}`)).toEqual(expected);
  });

  it('treats 0 and missing timeouts as none', () => {
    const s = ZTaskSpec.parse({ steps: [{ image: 'a', script: 'x', timeout: '0' }] });
    const result = resolveTaskRun({ spec: s, params: {}, context, timeoutMs: 0 });
    expect(result.ok && result.plan.timeoutMs).toBeUndefined();
    expect(result.ok && result.plan.steps[0].timeoutMs).toBeUndefined();
  });

  it('sees propagated params and workspaces that the spec does not declare', () => {
    const s = ZTaskSpec.parse({
      steps: [{ image: 'a', script: 'echo $(params.greeting) > $(workspaces.shared.path)/out' }],
    });
    const result = resolveTaskRun({
      spec: s,
      params: { greeting: 'hi' },
      context,
      workspaces: { shared: { hostPath: '/w' } },
    });
    expect(result.ok && result.plan.steps[0].script).toBe('echo hi > /workspace/shared/out');
    expect(result.ok && result.plan.workspaces.map((w) => w.name)).toEqual(['shared']);
  });

  it('inlines StepActions with their own params and results', () => {
    const action = ZStepActionSpec.parse({
      image: 'alpine/git',
      params: [{ name: 'url' }, { name: 'depth', default: '1' }],
      results: [{ name: 'commit' }, { name: 'branch' }],
      script:
        'git clone --depth $(params.depth) $(params.url) && git rev-parse HEAD > $(step.results.commit.path) && echo x > $(step.results.branch.path)',
    });
    const s = ZTaskSpec.parse({
      params: [{ name: 'repo' }],
      results: [{ name: 'commit', value: '$(steps.fetch.results.commit)' }],
      steps: [{ name: 'fetch', ref: { name: 'git-clone' }, params: [{ name: 'url', value: '$(params.repo)' }] }],
    });
    const result = resolveTaskRun({
      spec: s,
      params: { repo: 'https://r' },
      context,
      stepActions: (n) => (n === 'git-clone' ? action : undefined),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    // Step results live in the step's folder even when the task has a result of the same name (as Tekton).
    expect(result.plan.steps[0]).toMatchObject({
      name: 'fetch',
      image: 'alpine/git',
      script:
        'git clone --depth 1 https://r && git rev-parse HEAD > /tekton/steps/step-fetch/results/commit && echo x > /tekton/steps/step-fetch/results/branch',
      results: [
        { name: 'commit', type: 'string' },
        { name: 'branch', type: 'string' },
      ],
    });
    expect(result.plan.resultsFromSteps).toEqual([{ name: 'commit', value: '$(steps.fetch.results.commit)' }]);
    const missing = resolveTaskRun({ spec: s, params: { repo: 'r' }, context, stepActions: () => undefined });
    expect(!missing.ok && missing.errors[0].message).toBe(
      'step 0 refers to StepAction "git-clone", which does not exist',
    );
  });

  it('lets a step script replace the template command', () => {
    const s = ZTaskSpec.parse({
      stepTemplate: { command: ['sh', '-c'], args: ['x'] },
      steps: [{ image: 'a', script: 'echo' }, { image: 'a' }],
    });
    const result = resolveTaskRun({ spec: s, params: {}, context });
    expect(result.ok && result.plan.steps.map((st) => [st.command, st.args])).toEqual([
      [undefined, undefined],
      [['sh', '-c'], ['x']],
    ]);
  });
});
