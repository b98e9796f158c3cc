import { describe, expect, it } from 'vitest';
import { MASKED, MASKED_CHANGED, specDiff, type JsonPatchOp } from './spec-diff';

/** Applies a patch as RFC 6902 says (enough of it for these ops), to check the diff turns before into after. */
function applyPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const op of ops) {
    if (op.path === '') {
      root = op.op === 'remove' ? undefined : op.value;
      continue;
    }
    const keys = op.path
      .slice(1)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = root as Record<string, unknown> | unknown[];
    for (const k of keys) parent = (parent as Record<string, unknown>)[k] as Record<string, unknown>;
    if (Array.isArray(parent)) {
      if (op.op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
      else if (op.op === 'remove') parent.splice(Number(last), 1);
      else parent[Number(last)] = op.value;
    } else if (op.op === 'remove') delete parent[last];
    else parent[last] = op.value;
  }
  return root;
}

const app = (revision: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git.example/web.git', targetRevision: revision, path: 'k8s' },
    destination: { name: 'in-cluster', namespace: 'web' },
    ...extra,
  },
});

describe('specDiff', () => {
  it('is empty when nothing changed (key order and undefined members do not count)', () => {
    expect(specDiff(app('main'), { ...app('main'), status: undefined })).toEqual([]);
  });

  it('names the changed leaf of an application update with RFC 6901 paths', () => {
    expect(specDiff(app('main'), app('v2'))).toEqual([
      { op: 'replace', path: '/spec/source/targetRevision', value: 'v2' },
    ]);
  });

  it('adds and removes members, escapes ~ and / in keys', () => {
    const before = { metadata: { annotations: { 'a/b': '1', 'c~d': 'x' } } };
    const after = { metadata: { annotations: { 'a/b': '2' }, labels: { team: 'web' } } };
    expect(specDiff(before, after)).toEqual([
      { op: 'replace', path: '/metadata/annotations/a~1b', value: '2' },
      { op: 'remove', path: '/metadata/annotations/c~0d' },
      { op: 'add', path: '/metadata/labels', value: { team: 'web' } },
    ]);
  });

  it('diffs arrays by index and the patch turns before into after', () => {
    const cases: [unknown, unknown][] = [
      [{ tasks: ['a', 'b', 'c'] }, { tasks: ['a', 'x'] }],
      [{ tasks: ['a'] }, { tasks: ['a', 'b', 'c'] }],
      [{ tasks: [{ name: 'a', params: [1] }] }, { tasks: [{ name: 'a', params: [1, 2] }] }],
      [app('main'), app('v2', { syncPolicy: { automated: { prune: true } } })],
      [{ a: 1 }, { a: [1] }],
      [{ a: null }, { a: { b: 1 } }],
    ];
    for (const [before, after] of cases) expect(applyPatch(before, specDiff(before, after))).toEqual(after);
  });

  it('never carries a Secret value: data and stringData are masked, a changed key says so', () => {
    const before = { kind: 'Secret', metadata: { name: 'db' }, data: { user: 'YWRtaW4=', pass: 'c2VjcmV0' } };
    const after = {
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { user: 'YWRtaW4=', pass: 'bmV3LXNlY3JldA==' },
      stringData: { token: 'plain-token' },
    };
    const ops = specDiff(before, after);
    expect(ops).toEqual([
      { op: 'replace', path: '/data/pass', value: MASKED_CHANGED },
      { op: 'add', path: '/stringData', value: { token: MASKED_CHANGED } },
    ]);
    const text = JSON.stringify(specDiff(undefined, after)) + JSON.stringify(ops);
    for (const secret of ['YWRtaW4=', 'bmV3LXNlY3JldA==', 'c2VjcmV0', 'plain-token'])
      expect(text).not.toContain(secret);
    expect(specDiff(after, undefined)).toEqual([{ op: 'remove', path: '' }]);
    expect(JSON.stringify(specDiff(undefined, after))).toContain(MASKED_CHANGED);
    expect(specDiff(before, before)).toEqual([]);
    expect(MASKED).toBe('***');
  });
});
