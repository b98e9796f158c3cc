import { describe, expect, it } from 'vitest';
import { buildDag, descendants, findCycle, taskResultReferences, topologicalOrder } from './dag';
import type { TPipelineTask } from './pipeline-schemas';

const t = (name: string, extra: Partial<TPipelineTask> = {}): TPipelineTask => ({
  name,
  taskRef: { name: 'x' },
  ...extra,
});

describe('buildDag', () => {
  it('takes edges from runAfter and from result references in params, when and matrix', () => {
    const dag = buildDag([
      t('a'),
      t('b', { runAfter: ['a'] }),
      t('c', { params: [{ name: 'p', value: '$(tasks.a.results.sha)' }] }),
      t('d', { when: [{ input: '$(tasks.b.results.ok)', operator: 'in', values: ['$(tasks.c.results.v)'] }] }),
      t('e', {
        matrix: {
          params: [{ name: 'os', value: ['$(tasks.d.results.os)'] }],
          include: [{ params: [{ name: 'x', value: '$(tasks.a.results.y)' }] }],
        },
      }),
      t('f', { runAfter: ['missing'] }),
    ]);
    expect([...(dag.parents.get('c') ?? [])]).toEqual(['a']);
    expect([...(dag.parents.get('d') ?? [])].sort()).toEqual(['b', 'c']);
    expect([...(dag.parents.get('e') ?? [])].sort()).toEqual(['a', 'd']);
    expect([...(dag.parents.get('f') ?? [])]).toEqual([]);
    expect([...(dag.children.get('a') ?? [])].sort()).toEqual(['b', 'c', 'e']);
    expect(topologicalOrder(dag)).toEqual(['a', 'f', 'b', 'c', 'd', 'e']);
    expect([...descendants(dag, 'b')].sort()).toEqual(['d', 'e']);
  });

  it('lists result references with their paths', () => {
    const refs = taskResultReferences(
      t('x', {
        params: [{ name: 'p', value: ['$(tasks.a.results.r[*])'] }],
        when: [{ input: 'v', operator: 'notin', values: ['$(tasks.b.results.s)'] }],
      }),
    );
    expect(refs.map((r) => `${r.path} ${r.task}.${r.result}`)).toEqual([
      'params[0].value a.r',
      'when[0].values[0] b.s',
    ]);
  });
});

describe('findCycle', () => {
  it.each([
    ['acyclic', [t('a'), t('b', { runAfter: ['a'] })], undefined],
    ['self loop', [t('a', { runAfter: ['a'] })], ['a', 'a']],
    ['two tasks', [t('a', { runAfter: ['b'] }), t('b', { runAfter: ['a'] })], ['b', 'a', 'b']],
    [
      'through a result',
      [
        t('a', { runAfter: ['c'] }),
        t('b', { params: [{ name: 'p', value: '$(tasks.a.results.r)' }] }),
        t('c', { runAfter: ['b'] }),
        t('d'),
      ],
      ['b', 'c', 'a', 'b'],
    ],
  ])('%s', (_label, tasks, cycle) => {
    expect(findCycle(buildDag(tasks))).toEqual(cycle);
  });
});
