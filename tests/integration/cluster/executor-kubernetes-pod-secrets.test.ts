/**
 * Through the engine (apply, the worker's Secret loading, the Kubernetes executor on the real node): env a sidecar
 * and the TaskRun's podTemplate take from a Keelson Secret (`valueFrom.secretKeyRef`) reaches the sidecar and the
 * steps, and its values are masked in the stored logs. Before, the engine did not load those Secrets: the pod
 * failed with 'Secret "..." has no key'.
 */
import { readLogs } from '@/lib/server/pipeline/task-run-logs';
import { describe, expect, it } from 'vitest';
import { apply, runTaskRun, useHarness } from '../pipeline-semantics-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor through the engine: Secrets of sidecars and podTemplate env', () => {
  const h = useHarness();

  it("a sidecar's and the podTemplate's env from Keelson Secrets reach the containers, masked in stored logs", async () => {
    await apply(
      h,
      `apiVersion: v1
kind: Secret
metadata: { name: db-creds }
stringData: { password: pw-sidecar-5e1d }
---
apiVersion: v1
kind: Secret
metadata: { name: npm-creds }
stringData: { token: npm-template-7c3a }
`,
    );
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: pod-secrets }
spec:
  podTemplate:
    env:
      - name: NPM_TOKEN
        valueFrom: { secretKeyRef: { name: npm-creds, key: token } }
  taskSpec:
    sidecars:
      - name: db
        image: busybox
        env:
          - name: DB_PASSWORD
            valueFrom: { secretKeyRef: { name: db-creds, key: password } }
        script: |
          echo "sidecar password $DB_PASSWORD"
          [ "$DB_PASSWORD" = pw-sidecar-5e1d ] && echo sidecar-password-ok
          sleep 3600
    steps:
      - name: use
        image: busybox
        script: |
          sleep 2
          echo "step token $NPM_TOKEN"
          [ "$NPM_TOKEN" = npm-template-7c3a ] && echo step-token-ok
`,
    );
    expect(row.state, JSON.stringify(row.status)).toBe('succeeded');
    expect(row.executor).toBe('kubernetes');
    expect(lines).toEqual(expect.arrayContaining(['step token ***', 'step-token-ok']));
    expect(lines).toEqual(expect.arrayContaining(['sidecar password ***', 'sidecar-password-ok']));
    // Stored per container: the sidecar's lines under sidecar-db, the step's under use.
    const chunks = await readLogs(h.t.deps(), row.id);
    const byStep = (s: string) => chunks.filter((c) => c.step === s).flatMap((c) => c.lines.map((l) => l.text));
    expect(byStep('sidecar-db')).toContain('sidecar password ***');
    expect(byStep('use')).toContain('step token ***');
    const stored = JSON.stringify(chunks);
    expect(stored).not.toContain('pw-sidecar-5e1d');
    expect(stored).not.toContain('npm-template-7c3a');
  }, 180_000);
});
