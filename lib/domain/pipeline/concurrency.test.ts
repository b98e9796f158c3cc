import { describe, expect, it } from 'vitest';
import {
  concurrencyGroup,
  concurrencyIssues,
  concurrencySettings,
  decideAdmission,
  concurrencyOfDocument,
  describeConcurrency,
  type Admission,
  type ConcurrencySettings,
  type GroupRun,
} from './concurrency';

const run = (name: string, minute: number, admitted: boolean, cancelRequested = false): GroupRun => ({
  id: name,
  name,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  admitted,
  cancelRequested,
});

/** The cancel of `id` by the newer run `by`, with the message it carries. */
const superseded = (id: string, by: string) => ({
  id,
  message: `PipelineRun "${id}" was cancelled: the newer run "${by}" of group build/main replaced it (cancel-in-progress)`,
  replacedBy: by,
});

describe('decideAdmission', () => {
  const cases: {
    name: string;
    settings: Pick<ConcurrencySettings, 'limit' | 'strategy'>;
    runs: GroupRun[];
    want: Admission;
  }[] = [
    {
      name: 'queue, N=1: the first run of an empty group starts',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('a', 0, false)],
      want: { admit: ['a'], cancel: [], wait: [] },
    },
    {
      name: 'queue, N=1: a second run waits for the first',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('a', 0, true), run('b', 1, false)],
      want: { admit: [], cancel: [], wait: [{ id: 'b', message: 'Waiting for a (group build/main, 1 at a time)' }] },
    },
    {
      name: 'queue, N=1: the third waits behind the second',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('c', 2, false), run('a', 0, true), run('b', 1, false)],
      want: {
        admit: [],
        cancel: [],
        wait: [
          { id: 'b', message: 'Waiting for a (group build/main, 1 at a time)' },
          { id: 'c', message: 'Waiting for a (group build/main, 1 at a time); behind b in the queue' },
        ],
      },
    },
    {
      name: 'queue, N=1: when the slot frees the oldest queued run starts, the next waits for it',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('c', 2, false), run('b', 1, false)],
      want: { admit: ['b'], cancel: [], wait: [{ id: 'c', message: 'Waiting for b (group build/main, 1 at a time)' }] },
    },
    {
      name: 'queue: the order runs joined the group (under its lock) comes before their creation times',
      settings: { limit: 1, strategy: 'queue' },
      runs: [
        { ...run('a', 0, true), joined: 1 },
        { ...run('c', 2, false), joined: 2 },
        { ...run('b', 1, false), joined: 3 },
      ],
      want: {
        admit: [],
        cancel: [],
        wait: [
          { id: 'c', message: 'Waiting for a (group build/main, 1 at a time)' },
          { id: 'b', message: 'Waiting for a (group build/main, 1 at a time); behind c in the queue' },
        ],
      },
    },
    {
      name: 'cancel-in-progress: the run that joined last is the newest, whatever its creation time',
      settings: { limit: 1, strategy: 'cancel-in-progress' },
      runs: [
        { ...run('b', 1, true), joined: 1 },
        { ...run('a', 0, false), joined: 2 },
      ],
      want: { admit: ['a'], cancel: [superseded('b', 'a')], wait: [] },
    },
    {
      name: 'queue, N=2: two start, the third waits for both',
      settings: { limit: 2, strategy: 'queue' },
      runs: [run('a', 0, false), run('b', 1, false), run('c', 2, false)],
      want: {
        admit: ['a', 'b'],
        cancel: [],
        wait: [{ id: 'c', message: 'Waiting for a, b (group build/main, 2 at a time)' }],
      },
    },
    {
      name: 'queue: a queued run asked to cancel is never admitted, the next one is',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('b', 1, false, true), run('c', 2, false)],
      want: { admit: ['c'], cancel: [], wait: [] },
    },
    {
      name: 'queue: a running run being cancelled still holds its slot until it ends',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('a', 0, true, true), run('b', 1, false)],
      want: { admit: [], cancel: [], wait: [{ id: 'b', message: 'Waiting for a (group build/main, 1 at a time)' }] },
    },
    {
      name: 'queue: a lowered limit admits nothing until enough have ended',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('a', 0, true), run('b', 1, true), run('c', 2, false)],
      want: { admit: [], cancel: [], wait: [{ id: 'c', message: 'Waiting for a, b (group build/main, 1 at a time)' }] },
    },
    {
      name: 'cancel-in-progress, N=1: the newest runs, every older one is cancelled naming it',
      settings: { limit: 1, strategy: 'cancel-in-progress' },
      runs: [run('a', 0, true), run('b', 1, false), run('c', 2, false)],
      want: {
        admit: ['c'],
        cancel: [superseded('a', 'c'), superseded('b', 'c')],
        wait: [],
      },
    },
    {
      name: 'cancel-in-progress, N=2: the two newest run',
      settings: { limit: 2, strategy: 'cancel-in-progress' },
      runs: [run('a', 0, true), run('b', 1, true), run('c', 2, false)],
      want: {
        admit: ['c'],
        cancel: [superseded('a', 'c')],
        wait: [],
      },
    },
    {
      name: 'cancel-in-progress: runs already being cancelled are not cancelled again',
      settings: { limit: 1, strategy: 'cancel-in-progress' },
      runs: [run('a', 0, true, true), run('b', 1, true)],
      want: { admit: [], cancel: [], wait: [] },
    },
    {
      name: 'same creation time: the name orders them',
      settings: { limit: 1, strategy: 'queue' },
      runs: [run('y', 0, false), run('x', 0, false)],
      want: { admit: ['x'], cancel: [], wait: [{ id: 'y', message: 'Waiting for x (group build/main, 1 at a time)' }] },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect(decideAdmission(c.settings, 'build/main', c.runs)).toEqual(c.want);
    });

  it('names at most three runs it waits for', () => {
    const runs = ['a', 'b', 'c', 'd', 'e'].map((n, i) => run(n, i, true));
    const { wait } = decideAdmission({ limit: 5, strategy: 'queue' }, 'g', [...runs, run('f', 9, false)]);
    expect(wait[0].message).toBe('Waiting for a, b, c and 2 more (group g, 5 at a time)');
  });
});

describe('concurrencyIssues', () => {
  const limitPath = 'metadata.annotations["keelson.dev/concurrency"]';
  const cases: { annotations: Record<string, string>; paths: string[] }[] = [
    { annotations: {}, paths: [] },
    { annotations: { 'keelson.dev/concurrency': '1' }, paths: [] },
    { annotations: { 'keelson.dev/concurrency': '1000' }, paths: [] },
    { annotations: { 'keelson.dev/concurrency': '0' }, paths: [limitPath] },
    { annotations: { 'keelson.dev/concurrency': '-1' }, paths: [limitPath] },
    { annotations: { 'keelson.dev/concurrency': '1.5' }, paths: [limitPath] },
    { annotations: { 'keelson.dev/concurrency': 'two' }, paths: [limitPath] },
    { annotations: { 'keelson.dev/concurrency': '1001' }, paths: [limitPath] },
    {
      annotations: { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-strategy': 'cancel' },
      paths: ['metadata.annotations["keelson.dev/concurrency-strategy"]'],
    },
    { annotations: { 'keelson.dev/concurrency-strategy': 'cancel-in-progress' }, paths: [] },
    { annotations: { 'keelson.dev/concurrency-key': '$(params.branch)-$(context.pipeline.name)' }, paths: [] },
    {
      annotations: { 'keelson.dev/concurrency-key': '$(params.missing)' },
      paths: ['metadata.annotations["keelson.dev/concurrency-key"]'],
    },
    {
      annotations: { 'keelson.dev/concurrency-key': '$(tasks.a.results.b)' },
      paths: ['metadata.annotations["keelson.dev/concurrency-key"]'],
    },
    {
      annotations: { 'keelson.dev/concurrency-key': ' ' },
      paths: ['metadata.annotations["keelson.dev/concurrency-key"]'],
    },
  ];
  for (const c of cases)
    it(`${JSON.stringify(c.annotations)} → ${c.paths.length} issue(s)`, () => {
      const issues = concurrencyIssues(c.annotations, new Set(['branch']));
      expect(issues.map((i) => i.path)).toEqual(c.paths);
      for (const i of issues) expect(i.hint).toMatch(/\.$/);
    });
});

describe('concurrencySettings and concurrencyGroup', () => {
  it('is off without a limit, and the run overrides the pipeline key by key', () => {
    expect(concurrencySettings({ 'keelson.dev/concurrency-key': 'x' }, undefined)).toBeUndefined();
    expect(
      concurrencySettings(
        { 'keelson.dev/concurrency': '2', 'keelson.dev/concurrency-key': '$(params.branch)' },
        { 'keelson.dev/concurrency-strategy': 'cancel-in-progress' },
      ),
    ).toEqual({ limit: 2, key: '$(params.branch)', strategy: 'cancel-in-progress' });
    expect(concurrencySettings({ 'keelson.dev/concurrency': '2' }, { 'keelson.dev/concurrency': '1' })).toEqual({
      limit: 1,
      key: '$(context.pipeline.name)',
      strategy: 'queue',
    });
  });

  it('substitutes params and context into the key, scoped to project and pipeline', () => {
    const settings = { limit: 1, key: '$(params.branch)-$(context.pipelineRun.namespace)', strategy: 'queue' } as const;
    const got = concurrencyGroup(settings, { project: 'p', pipeline: 'build', name: 'r', params: { branch: 'main' } });
    expect(got).toEqual({ ok: true, group: { id: 'p/build/main-p', label: 'build/main-p' } });
    const byDefault = concurrencyGroup(
      { limit: 1, key: '$(context.pipeline.name)', strategy: 'queue' },
      { project: 'p', pipeline: 'build', name: 'r', params: {} },
    );
    expect(byDefault).toEqual({ ok: true, group: { id: 'p/build/build', label: 'build' } });
  });

  it('refuses a key whose param has no string value', () => {
    const got = concurrencyGroup(
      { limit: 1, key: '$(params.list)', strategy: 'queue' },
      { project: 'p', pipeline: 'build', name: 'r', params: { list: ['a'] } },
    );
    expect(got.ok).toBe(false);
  });
});

describe('describeConcurrency', () => {
  it.each([
    [{ limit: 1, key: '$(context.pipeline.name)', strategy: 'queue' }, '1 run at a time; the others queue'],
    [
      { limit: 2, key: '$(params.branch)', strategy: 'cancel-in-progress' },
      '2 runs at a time per $(params.branch); a newer run cancels the older ones',
    ],
  ] as const)('%j → %s', (settings, text) => {
    expect(describeConcurrency(settings)).toBe(text);
  });
});

it('reads the settings of a stored document, nothing from one without them', () => {
  const doc = { kind: 'Pipeline', metadata: { name: 'p', annotations: { 'keelson.dev/concurrency': '3' } } };
  expect(concurrencyOfDocument(doc)).toEqual({ limit: 3, key: '$(context.pipeline.name)', strategy: 'queue' });
  expect(concurrencyOfDocument({ metadata: { name: 'p' } })).toBeUndefined();
  expect(concurrencyOfDocument('not a document')).toBeUndefined();
});
