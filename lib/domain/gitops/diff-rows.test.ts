import { describe, expect, it } from 'vitest';
import { diffStats, splitRows, unifiedRows } from './diff-rows';
import { unifiedDiff } from './unified-diff';

const DIFF = `--- live
+++ desired
@@ -1,5 +1,6 @@
 apiVersion: apps/v1
 kind: Deployment
 spec:
-  replicas: 1
+  replicas: 3
+  paused: false
   template: {}
\\ No newline at end of file
`;

describe('unifiedRows', () => {
  it('numbers old and new lines from the hunk header and drops file headers', () => {
    const rows = unifiedRows(DIFF);
    expect(rows[0]).toEqual({ kind: 'hunk', text: '@@ -1,5 +1,6 @@' });
    expect(rows.slice(1)).toEqual([
      { kind: 'context', oldNo: 1, newNo: 1, text: 'apiVersion: apps/v1' },
      { kind: 'context', oldNo: 2, newNo: 2, text: 'kind: Deployment' },
      { kind: 'context', oldNo: 3, newNo: 3, text: 'spec:' },
      { kind: 'del', oldNo: 4, text: '  replicas: 1' },
      { kind: 'add', newNo: 4, text: '  replicas: 3' },
      { kind: 'add', newNo: 5, text: '  paused: false' },
      { kind: 'context', oldNo: 5, newNo: 6, text: '  template: {}' },
    ]);
  });

  it('returns nothing for an empty diff (in sync)', () => {
    expect(unifiedRows('')).toEqual([]);
    expect(splitRows('')).toEqual([]);
  });

  it('reads what the domain unifiedDiff writes', () => {
    const diff = unifiedDiff('a: 1\nb: 2\n', 'a: 1\nb: 3\nc: 4\n', { fromFile: 'live', toFile: 'desired' });
    expect(diffStats(diff)).toEqual({ added: 2, removed: 1 });
  });
});

describe('splitRows', () => {
  it('pairs deletions with the additions after them and pads the longer side', () => {
    const rows = splitRows(DIFF);
    const changed = rows.filter((r) => r.left?.kind === 'del' || r.right?.kind === 'add');
    expect(changed).toEqual([
      {
        kind: 'line',
        left: { no: 4, text: '  replicas: 1', kind: 'del' },
        right: { no: 4, text: '  replicas: 3', kind: 'add' },
      },
      { kind: 'line', left: undefined, right: { no: 5, text: '  paused: false', kind: 'add' } },
    ]);
    expect(rows.at(-1)).toEqual({
      kind: 'line',
      left: { no: 5, text: '  template: {}', kind: 'context' },
      right: { no: 6, text: '  template: {}', kind: 'context' },
    });
  });

  it('keeps an addition followed by a deletion on separate rows', () => {
    const rows = splitRows('@@ -1,1 +1,1 @@\n+new\n-old\n');
    expect(rows.slice(1)).toEqual([
      { kind: 'line', left: undefined, right: { no: 1, text: 'new', kind: 'add' } },
      { kind: 'line', left: { no: 1, text: 'old', kind: 'del' }, right: undefined },
    ]);
  });
});
