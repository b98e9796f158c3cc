import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { ZPodLogsQuery, ZPodsQuery } from '@/lib/schemas/pod-logs';
import { parseQueryParams } from './parse-query-params';
import { createStreamSlots } from '../gitops/stream-slots';

const logs = (q: string) => parseQueryParams(ZPodLogsQuery, new URLSearchParams(q));

function issues(q: string): { path: string; message: string }[] {
  try {
    logs(q);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_REQUEST');
    return (err as AppError).details.issues ?? [];
  }
  throw new Error(`accepted: ${q}`);
}

describe('the pod logs query', () => {
  it('fills the defaults: kind Pod, tail 1000, flags false; empty optional values count as left out', () => {
    expect(logs('resourceName=web-1&podName=&container=&namespace=')).toEqual({
      kind: 'Pod',
      resourceName: 'web-1',
      follow: false,
      previous: false,
      timestamps: false,
      tailLines: 1000,
    });
    expect(
      logs(
        'namespace=team&kind=Deployment&group=apps&resourceName=web&podName=web-5d9-x2&container=app&follow=true&previous=false&timestamps=true&tailLines=100000&sinceSeconds=600',
      ),
    ).toMatchObject({ kind: 'Deployment', follow: true, timestamps: true, tailLines: 100000, sinceSeconds: 600 });
  });

  it.each([
    ['resourceName=web&kind=CronJob', 'kind', /Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job/],
    ['resourceName=Web_1', 'resourceName', /DNS-1123 subdomain/],
    ['resourceName=web&namespace=a.b', 'namespace', /DNS-1123 label/],
    ['resourceName=web&container=../x', 'container', /DNS-1123 label/],
    ['resourceName=web&tailLines=0', 'tailLines', /at least 1/],
    ['resourceName=web&tailLines=100001', 'tailLines', /at most 100000/],
    ['resourceName=web&tailLines=1e3', 'tailLines', /whole number/],
    ['resourceName=web&sinceSeconds=-5', 'sinceSeconds', /whole number/],
    ['resourceName=web&follow=1', 'follow', /true or false/],
    ['resourceName=web&previous=yes', 'previous', /true or false/],
    ['resourceName=web&kind=Deployment&group=batch', 'group', /Deployment is in the group 'apps'/],
    ['resourceName=web&evil=1', 'evil', /unknown parameter/],
    ['resourceName=web&kind=Pod&kind=Job', 'kind', /give kind once/],
    ['kind=Pod', 'resourceName', /give resourceName/],
  ])('refuses %s at %s with a sentence', (q, path, message) => {
    const found = issues(q).find((i) => i.path === path);
    expect(found?.message).toMatch(message);
  });

  it('takes the same resource parameters for …/pods, and no log options', () => {
    expect(parseQueryParams(ZPodsQuery, new URLSearchParams('kind=Job&resourceName=migrate'))).toEqual({
      kind: 'Job',
      resourceName: 'migrate',
    });
    expect(() => parseQueryParams(ZPodsQuery, new URLSearchParams('resourceName=x&follow=true'))).toThrow(
      /follow: unknown parameter: use only namespace, kind, group, resourceName/,
    );
  });
});

describe('follow stream slots', () => {
  it('gives each key its slots, refuses beyond them, and frees a slot once per release', () => {
    const slots = createStreamSlots(2, 3);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect(a1 && a2).toBeTruthy();
    expect(slots.take('a')).toBeUndefined();
    expect(slots.full()).toBe(false); // refused by a's own cap
    const b1 = slots.take('b');
    expect(b1).toBeDefined();
    expect(slots.take('c')).toBeUndefined(); // the process-wide cap
    expect(slots.full()).toBe(true);
    a1!();
    a1!();
    expect(slots.take('a')).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
  });
});
