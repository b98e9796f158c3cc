import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { authorize, canI, subjectsOf } from './authorize';
import type { PolicyEngine } from './ports';

/** An engine that allows exactly the listed `subject resource action object` requests. */
function engineAllowing(...allowed: string[]): PolicyEngine & { asked: string[][] } {
  const asked: string[][] = [];
  const decide = (subjects: readonly string[], resource: string, action: string, object: string) =>
    subjects.some((s) => allowed.includes(`${s} ${resource} ${action} ${object}`));
  return {
    asked,
    async enforce(subjects, resource, action, object) {
      asked.push([...subjects]);
      return decide(subjects, resource, action, object);
    },
    async enforceMany(subjects, resource, action, objects) {
      return objects.map((object) => decide(subjects, resource, action, object));
    },
  };
}

const alice = { username: 'alice', groups: ['team-a', 'alice'] };

describe('authorize', () => {
  it('asks the engine for the username and the groups, once each', async () => {
    const engine = engineAllowing();
    await canI(engine, alice, 'applications', 'get', 'a/b');
    expect(engine.asked).toEqual([['alice', 'team-a']]);
    expect(subjectsOf({ username: 'bob', groups: [] })).toEqual(['bob']);
  });

  it('never asks for an SSO user by username: it chose that name at the IdP', async () => {
    const engine = engineAllowing('platform-admins accounts update *');
    const mallory = { username: 'platform-admins', groups: ['devs'], source: 'sso' as const };
    expect(await canI(engine, mallory, 'accounts', 'update', '*')).toBe(false);
    expect(engine.asked).toEqual([['devs']]);
    expect(await canI(engine, { ...mallory, source: 'local' }, 'accounts', 'update', '*')).toBe(true);
  });

  it('returns when a group is allowed', async () => {
    const engine = engineAllowing('team-a applications sync team-a/web');
    await expect(authorize(engine, alice, 'applications', 'sync', 'team-a/web')).resolves.toBeUndefined();
    expect(await canI(engine, alice, 'applications', 'sync', 'team-a/web')).toBe(true);
  });

  it('throws 403 FORBIDDEN naming resource, action and object', async () => {
    const engine = engineAllowing('team-a applications sync team-a/web');
    const refusal = await authorize(engine, alice, 'applications', 'delete', 'team-a/web').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    const error = refusal as AppError;
    expect(error.status).toBe(403);
    expect(error.toJSON().error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'permission denied: applications, delete, team-a/web',
      denied: { resource: 'applications', action: 'delete', object: 'team-a/web' },
    });
    expect(await canI(engine, alice, 'applications', 'delete', 'team-a/web')).toBe(false);
  });
});
