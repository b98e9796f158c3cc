import { describe, expect, it } from 'vitest';
import { apply, child, logLines, runTaskRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

const companions = `apiVersion: v1
kind: Secret
metadata: { name: plain-creds }
stringData:
  token: s3cr3t-from-stringdata
  user: robot
---
apiVersion: v1
kind: Secret
metadata: { name: mixed-creds }
data:
  token: YmFzZTY0LXRva2Vu
  other: b3RoZXItdmFsdWU=
stringData:
  other: string-data-wins
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { level: debug, region: eu-1 }
`;

const steps = `    steps:
      - name: show
        image: alpine
        env:
          - name: TOKEN
            valueFrom: { secretKeyRef: { name: plain-creds, key: token } }
          - name: OTHER
            valueFrom: { secretKeyRef: { name: mixed-creds, key: other } }
          - name: LEVEL
            valueFrom: { configMapKeyRef: { name: settings, key: level } }
        envFrom:
          - secretRef: { name: plain-creds }
            prefix: S_
          - configMapRef: { name: settings }
        script: |
          echo "token=$TOKEN other=$OTHER level=$LEVEL user=$S_user stoken=$S_token region=$region"
          [ "$TOKEN" = s3cr3t-from-stringdata ] && echo token-ok
          [ "$OTHER" = string-data-wins ] && echo other-ok
          [ "$S_user" = robot ] && echo user-ok
          echo "file=$(cat $(workspaces.creds.path)/token)"
          [ "$(cat $(workspaces.creds.path)/token)" = s3cr3t-from-stringdata ] && echo file-ok
`;

describe('companions', () => {
  it('a standalone TaskRun gets env.valueFrom and envFrom from Secrets (stringData and data) and ConfigMaps, values masked', async () => {
    await apply(h, companions);
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: solo-companions }
spec:
  workspaces: [{ name: creds, secret: { secretName: plain-creds } }]
  taskSpec:
${steps}`,
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toEqual(expect.arrayContaining(['token-ok', 'other-ok', 'user-ok', 'file-ok']));
    expect(lines.join('\n')).not.toContain('s3cr3t-from-stringdata');
    expect(lines.join('\n')).not.toContain('string-data-wins');
    expect(lines).toContain('token=*** other=*** level=debug user=*** stoken=*** region=eu-1');
  });

  it('a PipelineRun task gets the same', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pr-companions }
spec:
  workspaces: [{ name: creds, secret: { secretName: plain-creds } }]
  pipelineSpec:
    tasks:
      - name: show
        taskSpec:
${steps.replace(/^/gm, '      ')}`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const lines = await logLines(h, (await child(h, run.id, 'show')).id);
    expect(lines).toEqual(expect.arrayContaining(['token-ok', 'other-ok', 'user-ok', 'file-ok']));
    expect(lines).toContain('token=*** other=*** level=debug user=*** stoken=*** region=eu-1');
  });

  it('a Secret applied after the TaskRun in the same file', async () => {
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: solo-order }
spec:
  taskSpec:
    steps:
      - name: show
        image: alpine
        env: [{ name: T, valueFrom: { secretKeyRef: { name: late-creds, key: token } } }]
        script: '[ "$T" = later ] && echo late-ok'
---
apiVersion: v1
kind: Secret
metadata: { name: late-creds }
stringData: { token: later }
`,
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toContain('late-ok');
  });

  it("a StepAction's env.valueFrom reads the run's Secret, on a standalone TaskRun and in a PipelineRun", async () => {
    await apply(
      h,
      `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: { name: uses-token }
spec:
  image: alpine
  env: [{ name: T, valueFrom: { secretKeyRef: { name: action-creds, key: token } } }]
  script: '[ "$T" = from-action ] && echo action-ok; echo "t=$T"'
---
apiVersion: v1
kind: Secret
metadata: { name: action-creds }
stringData: { token: from-action }
`,
    );
    const solo = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: solo-action }
spec:
  taskSpec:
    steps: [{ name: use, ref: { name: uses-token } }]
`,
    );
    expect(solo.row.state).toBe('succeeded');
    expect(solo.lines).toEqual(expect.arrayContaining(['action-ok', 't=***']));
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pr-action }
spec:
  pipelineSpec:
    tasks:
      - name: use
        taskSpec:
          steps: [{ name: use, ref: { name: uses-token } }]
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(await logLines(h, (await child(h, run.id, 'use')).id)).toEqual(
      expect.arrayContaining(['action-ok', 't=***']),
    );
  });
});
