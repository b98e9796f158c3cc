import { describe, expect, it } from 'vitest';
import { childName, isDns1123Label, runSecretName, taskRunPodName } from './names';

describe('pod names', () => {
  it('names the pod after its TaskRun, a retry with its attempt, as upstream', () => {
    expect(taskRunPodName('build-pr-x7k2q-compile')).toBe('build-pr-x7k2q-compile-pod');
    expect(taskRunPodName('build-pr-x7k2q-compile', 2)).toBe('build-pr-x7k2q-compile-pod-retry2');
  });

  it('truncates and hashes a long TaskRun name as kmeta.ChildName (upstream pod_test.go)', () => {
    const long = 'task-run-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789';
    expect(taskRunPodName(long)).toBe('task-run-0123456789-01234560d38957287bb0283c59440df14069f59-pod');
  });

  it('keeps two long names that share 63 characters apart, every name a DNS-1123 label', () => {
    const a = `${'a'.repeat(62)}-one`;
    const b = `${'a'.repeat(62)}-two`;
    const names = [taskRunPodName(a), taskRunPodName(b), taskRunPodName(a, 1), runSecretName(taskRunPodName(a, 12))];
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(isDns1123Label(n)).toBe(true);
  });

  it('hashes parent and suffix together when the suffix leaves no room for a head', () => {
    const name = childName('parent', `-${'s'.repeat(40)}`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('parent')).toBe(true);
  });
});
