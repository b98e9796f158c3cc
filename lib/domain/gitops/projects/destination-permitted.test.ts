import { describe, expect, it } from 'vitest';
import type { TProjectDestination } from './app-project-schema';
import { isDestinationPermitted, type Destination } from './destination-permitted';

type Case = [TProjectDestination[], Destination, boolean];
const KDS = 'https://kubernetes.default.svc';

describe('isDestinationPermitted', () => {
  it.each<Case>([
    [[{ server: KDS, namespace: 'default' }], { server: KDS, namespace: 'default' }, true],
    [[{ server: KDS, namespace: 'default' }], { server: KDS, namespace: 'kube-system' }, false],
    [[{ server: 'https://my-cluster', namespace: 'default' }], { server: KDS, namespace: 'default' }, false],
    [[{ server: KDS, namespace: '*' }], { server: KDS, namespace: 'kube-system' }, true],
    [[{ server: 'https://*.default.svc', namespace: 'default' }], { server: KDS, namespace: 'default' }, true],
    [
      [{ server: 'https://team1-*', namespace: 'default' }],
      { server: 'https://test2-dev-cluster', namespace: 'default' },
      false,
    ],
    [[{ server: KDS, namespace: 'test-*' }], { server: KDS, namespace: 'test-foo' }, true],
    [[{ server: KDS, namespace: 'test-*' }], { server: KDS, namespace: 'test' }, false],
    [[{ server: '*', namespace: '*' }], { server: KDS, namespace: 'test' }, true],
    [[{ server: '', namespace: '*', name: 'test' }], { name: 'test', namespace: 'test' }, true],
    [[{ server: '', namespace: '*', name: 'test2' }], { name: 'test', namespace: 'test' }, false],
    [[], { server: KDS, namespace: 'default' }, false],
  ])('TestAppProject_IsDestinationPermitted: %j permits %j: %s', (dests, dst, expected) => {
    expect(isDestinationPermitted(dests, dst).permitted).toBe(expected);
  });

  it.each<Case>([
    [[{ server: `!${KDS}`, namespace: 'default' }], { server: KDS, namespace: 'default' }, false],
    [[{ server: KDS, namespace: '!default' }], { server: KDS, namespace: 'kube-system' }, true],
    [[{ server: '!https://my-cluster', namespace: 'default' }], { server: KDS, namespace: 'default' }, true],
    [[{ server: `!${KDS}`, namespace: '*' }], { server: KDS, namespace: 'kube-system' }, false],
    [[{ server: '!https://*.default.svc', namespace: 'default' }], { server: KDS, namespace: 'default' }, false],
    [
      [{ server: '!https://team1-*', namespace: 'default' }],
      { server: 'https://test2-dev-cluster', namespace: 'default' },
      true,
    ],
    [[{ server: KDS, namespace: '!test-*' }], { server: KDS, namespace: 'test-foo' }, false],
    [[{ server: KDS, namespace: '!test-*' }], { server: KDS, namespace: 'test' }, true],
    [[{ server: '', namespace: '*', name: '!test' }], { name: 'test', namespace: 'test' }, false],
    [[{ server: '', namespace: '*', name: '!test2' }], { name: 'test', namespace: 'test' }, true],
    [
      [
        { server: '*', namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: KDS, namespace: 'kube-system' },
      false,
    ],
    [
      [
        { server: '*', namespace: '*' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: KDS, namespace: 'kube-system' },
      false,
    ],
    [
      [
        { server: KDS, namespace: '*' },
        { server: `!${KDS}`, namespace: '*' },
      ],
      { server: KDS, namespace: 'kube-system' },
      false,
    ],
    [
      [
        { server: '*', namespace: '*' },
        { server: `!${KDS}`, namespace: 'kube-system' },
      ],
      { server: KDS, namespace: 'kube-system' },
      false,
    ],
    [
      [
        { server: '*', namespace: '*' },
        { server: `!${KDS}`, namespace: 'kube-system' },
        { server: '*', namespace: '!kube-system' },
      ],
      { server: 'https://test-dev-cluster', namespace: 'kube-system' },
      false,
    ],
    [
      [
        { server: '', namespace: '*', name: 'test' },
        { server: '', namespace: '*', name: '!test' },
      ],
      { name: 'test', namespace: 'test' },
      false,
    ],
  ])('TestAppProject_IsNegatedDestinationPermitted: %j permits %j: %s', (dests, dst, expected) => {
    expect(isDestinationPermitted(dests, dst).permitted).toBe(expected);
  });

  it('names the entry that decided', () => {
    const dests = [
      { server: '*', namespace: '*' },
      { server: '*', namespace: '!kube-system' },
    ];
    expect(isDestinationPermitted(dests, { server: KDS, namespace: 'kube-system' })).toEqual({
      permitted: false,
      rule: "destinations: server '*', namespace '!kube-system'",
    });
    expect(isDestinationPermitted(dests, { server: KDS, namespace: 'apps' })).toEqual({
      permitted: true,
      rule: "destinations: server '*', namespace '*'",
    });
    expect(isDestinationPermitted([{ server: KDS, namespace: 'a' }], { name: 'prod', namespace: 'b' }).rule).toBe(
      "destinations: no entry permits 'prod/b'",
    );
  });
});
