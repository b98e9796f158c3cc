import { expect, it } from 'vitest';
import { foldGroups, type LogEntry } from './fold-groups';

const e = (text: string): LogEntry => ({ at: '2026-01-01T00:00:00.000Z', stream: 'stdout', text });

it('folds ::group:: blocks and keeps lines outside them', () => {
  const blocks = foldGroups([e('start'), e('::group::Install deps'), e('a'), e('b'), e('::endgroup::'), e('done')]);
  expect(blocks).toEqual([
    { kind: 'line', entry: e('start') },
    { kind: 'group', title: 'Install deps', entries: [e('a'), e('b')] },
    { kind: 'line', entry: e('done') },
  ]);
});

it('runs an unclosed group to the end and starts a new group at a nested marker', () => {
  const blocks = foldGroups([e('::group::one'), e('x'), e('::group::two'), e('y')]);
  expect(blocks.map((b) => (b.kind === 'group' ? [b.title, b.entries.length] : 'line'))).toEqual([
    ['one', 1],
    ['two', 1],
  ]);
});
