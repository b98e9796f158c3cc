import { describe, expect, it } from 'vitest';
import { evaluateDelivery, expand } from './evaluate-delivery';
import type { TTriggerSpec } from './trigger-schema';

const push = {
  headers: { 'x-github-event': 'push', 'x-github-delivery': 'abc' },
  body: {
    ref: 'refs/heads/main',
    head_commit: { id: 'deadbeef', message: 'fix' },
    repository: { full_name: 'acme/app' },
    commits: [{ id: 'c1' }],
  },
};

const spec = (over: Partial<TTriggerSpec> = {}): TTriggerSpec => ({
  pipelineRef: { name: 'build' },
  provider: 'github',
  secretRef: { name: 'hook', key: 'token' },
  filter: { events: ['push'], branches: ['main'] },
  params: [
    { name: 'revision', value: '$(body.head_commit.id)' },
    { name: 'event', value: '$(header.X-GitHub-Event)' },
    { name: 'repo', value: 'https://example.test/$(body.repository.full_name).git' },
  ],
  ...over,
});

describe('evaluateDelivery', () => {
  it('maps params from the body and headers', () => {
    expect(evaluateDelivery(spec(), push)).toEqual({
      kind: 'start',
      event: 'push',
      branch: 'main',
      params: [
        { name: 'revision', value: 'deadbeef' },
        { name: 'event', value: 'push' },
        { name: 'repo', value: 'https://example.test/acme/app.git' },
      ],
    });
  });

  it('filters other events and other branches with a reason', () => {
    expect(evaluateDelivery(spec(), { ...push, headers: { 'x-github-event': 'issues' } })).toMatchObject({
      kind: 'filtered',
      reason: 'event "issues" is not one of push',
    });
    expect(evaluateDelivery(spec(), { ...push, body: { ...push.body, ref: 'refs/heads/dev' } })).toMatchObject({
      kind: 'filtered',
      reason: 'branch "dev" is not one of main',
    });
    expect(evaluateDelivery(spec(), { ...push, body: { ...push.body, ref: 'refs/tags/v1' } })).toMatchObject({
      kind: 'filtered',
    });
  });

  it('reads GitLab event names', () => {
    const s = spec({ provider: 'gitlab', filter: { events: ['Push Hook'] } });
    expect(evaluateDelivery(s, { headers: { 'x-gitlab-event': 'Push Hook' }, body: push.body }).kind).toBe('start');
  });
});

it('expands array indexes, whole objects and missing values', () => {
  expect(expand('$(body.commits.0.id)', push)).toBe('c1');
  expect(expand('$(body.head_commit)', push)).toBe('{"id":"deadbeef","message":"fix"}');
  expect(expand('x$(body.nope.deeper)y', push)).toBe('xy');
});
