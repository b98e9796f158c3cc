import { describe, expect, it } from 'vitest';
import { build, plan, step } from './pod-fixtures';

describe('buildTaskRunPod: long step names', () => {
  it('cuts container names to 63 characters as upstream, while /tekton/steps keeps the whole name', () => {
    const long = `a${'b'.repeat(58)}-cd`;
    const { pod } = build(plan({ steps: [step(long, { command: ['true'] })] }));
    expect(pod.spec.containers[0].name).toBe(`step-a${'b'.repeat(57)}`);
    expect(pod.spec.containers[0].name).toHaveLength(63);
    expect(pod.spec.initContainers[0].command?.at(-1)).toBe(`step-${long}`);
  });
});

describe('buildTaskRunPod: scripts through the run Secret', () => {
  it('mounts the scripts executable from the run Secret, with no place-scripts init container', () => {
    const { pod, secret, problems } = build(
      plan({
        taskRunName: 'build-x7k2q-compile',
        steps: [
          step('one', { command: undefined, script: 'echo one' }),
          step('two', { command: undefined, image: 'python', script: '#!/usr/bin/env python3\nprint(2)' }),
        ],
      }),
      { scriptsVia: 'secret' },
    );
    expect(problems).toEqual([]);
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(['prepare']);
    expect(pod.spec.volumes.find((v) => v.name === 'tekton-internal-scripts')).toEqual({
      name: 'tekton-internal-scripts',
      secret: {
        secretName: 'build-x7k2q-compile-pod-run',
        items: [
          { key: 'script.script-0', path: 'script-0', mode: 0o755 },
          { key: 'script.script-1', path: 'script-1', mode: 0o755 },
        ],
      },
    });
    expect(secret.stringData).toEqual({
      'script.script-0': '#!/bin/sh\nset -e\necho one',
      'script.script-1': '#!/usr/bin/env python3\nprint(2)',
    });
    expect(pod.spec.containers[0].args?.slice(-3)).toEqual(['-entrypoint', '/tekton/scripts/script-0', '--']);
  });
});

describe('buildTaskRunPod: sidecar env from a Secret', () => {
  it('goes through the run Secret like a step secret env; an optional missing key is left out, a required one is a problem', () => {
    const sidecar = (env: unknown[]) => ({
      name: 'db',
      image: 'postgres:16',
      container: { name: 'db', image: 'postgres:16', env },
    });
    const { pod, secret, problems } = build(
      plan({
        sidecars: [
          sidecar([
            { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
            { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'nope', optional: true } } },
            { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } },
          ]),
        ],
      }),
      { secrets: { 'db-creds': { password: 'pg-pass' } } },
    );
    expect(problems).toEqual([]);
    expect(pod.spec.containers[1].env).toEqual([
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'ci-build-pod-run', key: 'sidecar.0.0.POSTGRES_PASSWORD' } },
      },
      { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } },
    ]);
    expect(secret.stringData['sidecar.0.0.POSTGRES_PASSWORD']).toBe('pg-pass');
    expect(JSON.stringify(pod)).not.toContain('pg-pass');
    const missing = build(
      plan({ sidecars: [sidecar([{ name: 'P', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'gone' } } }])] }),
      { secrets: {} },
    );
    expect(missing.problems).toEqual([
      'spec.sidecars[0] (db).env P: Secret "db-creds" has no key "gone" (deleted after the TaskRun was created?). Apply the Secret again and rerun.',
    ]);
  });
});
