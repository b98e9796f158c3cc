import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../lib/adapters/db/schema';
import type { TAppProject } from '../../lib/domain/gitops/projects';
import { endBrowserSession } from '../../lib/server/auth/end-browser-session';
import { resolveBrowserSession } from '../../lib/server/auth/resolve-browser-session';
import { startBrowserSession } from '../../lib/server/auth/start-browser-session';
import { findTaskRun } from '../../lib/server/pipeline/find-task-run';
import {
  CREDENTIAL_GONE,
  streamTaskRunLogs,
  type LogStreamEvent,
} from '../../lib/server/pipeline/stream-task-run-logs';
import type { Principal } from '../../lib/server/principal';
import { authenticateApiToken } from '../../lib/server/tokens/authenticate-api-token';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { revokeApiToken } from '../../lib/server/tokens/revoke-api-token';
import { alice, bob, taskAndPipeline, useProjects } from './pipeline-projects-support';

/**
 * Security review: the TaskRun log stream was authorized only when it opened. It now resolves the request's
 * credential again and asks `pipelineruns, get` and `logs, get` again while it streams (every 30 s; here every few
 * ms), and ends with an error event once the credential is gone (logout, revoked token, disabled account) or refused.
 */
const h = useProjects();
let taskRun: string;

beforeAll(async () => {
  await h.apply(bob, taskAndPipeline('team-b', 'greet-b', 'build-b'));
  const { runs } = await h.apply(
    bob,
    `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { generateName: stream-b-, namespace: team-b }, spec: { taskRef: { name: greet-b } } }`,
  );
  taskRun = runs[0].name;
  const row = await findTaskRun(h.deps(), taskRun);
  await h.deps().stores.taskRuns.appendLogs(row.id, [{ step: 'greet', stream: 'stdout', at: new Date(), text: 'hi' }]);
});

async function teamB(): Promise<TAppProject> {
  return (await h.t.deps().accessStores.projects.get('team-b'))!.project;
}

/** Bob's stream of the TaskRun, polling every 5 ms and asking again every `recheckMs`. */
async function open(recheckMs: number) {
  const controller = new AbortController();
  const options = { after: 0, pollMs: 5, recheckMs, signal: controller.signal, reauthenticate: async () => bob };
  return { controller, events: await streamTaskRunLogs(h.deps(), bob, taskRun, options) };
}

/** Reads events until `stop` says so, or the stream ends. */
async function readUntil(events: AsyncIterable<LogStreamEvent>, stop: (e: LogStreamEvent) => boolean) {
  const seen: LogStreamEvent[] = [];
  for await (const e of events) {
    seen.push(e);
    if (stop(e)) break;
  }
  return seen;
}

describe('the TaskRun log stream', () => {
  it('is refused when it opens to a caller without pipelineruns get (403 before any event)', async () => {
    const reauthenticate = async () => alice;
    await expect(streamTaskRunLogs(h.deps(), alice, taskRun, { after: 0, reauthenticate })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'pipelineruns', action: 'get', object: `team-b/${taskRun}` } },
    });
  });

  for (const [what, revoke, denied] of [
    [
      'logs get',
      (p: TAppProject) => {
        p.spec.roles![0].policies = p.spec.roles![0].policies!.filter((l) => !l.includes(', logs,'));
      },
      'logs',
    ],
    [
      'pipelineruns get (the role loses its group)',
      (p: TAppProject) => void (p.spec.roles![0].groups = []),
      'pipelineruns',
    ],
  ] as const) {
    it(`ends with an error event naming what was refused once ${what} is revoked while it streams`, async () => {
      const team = await teamB();
      const { controller, events } = await open(10);
      const iterator = events[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value).toMatchObject({ event: 'chunk', data: { step: 'greet', lines: [{ text: 'hi' }] } });
      const revoked = structuredClone(team);
      revoke(revoked);
      await h.t.deps().accessStores.projects.put(revoked, 'test');
      // Without a re-check the stream would go on; it is cut after 3 s so the test fails instead of hanging.
      const cut = setTimeout(() => controller.abort(), 3000);
      try {
        const rest = await readUntil({ [Symbol.asyncIterator]: () => iterator }, () => false);
        expect(rest).toEqual([
          {
            event: 'error',
            data: {
              message: `permission denied: ${denied}, get, team-b/${taskRun}`,
              code: 'FORBIDDEN',
              denied: { resource: denied, action: 'get', object: `team-b/${taskRun}` },
            },
          },
        ]);
      } finally {
        clearTimeout(cut);
        controller.abort();
        await h.t.deps().accessStores.projects.put(team, 'test');
      }
    });
  }

  it('keeps streaming while the caller is still allowed (re-checks pass)', async () => {
    const { controller, events } = await open(1);
    setTimeout(() => controller.abort(), 100);
    const seen = await readUntil(events, () => false);
    expect(seen[0]).toMatchObject({ event: 'chunk' });
    expect(seen.some((e) => e.event === 'error')).toBe(false);
  });
});

/** A local user made role:admin (beside ops) with a live API token and browser session of theirs. */
async function localAdmin(username: string) {
  const [u] = await h.t.handle.db.insert(users).values({ username, role: 'user', source: 'local' }).returning();
  const csv = ['g, ops, role:admin', `g, ${username}, role:admin`].join('\n');
  await h.t.deps().accessStores.rbac.put({ 'policy.default': '', 'policy.csv': csv }, 'test');
  const me: Principal = { userId: u.id, username, name: null, role: 'user', groups: [], via: 'token', source: 'local' };
  const created = await createApiToken(h.t.deps(), me, { name: 'logs' });
  const viaToken = await authenticateApiToken(h.t.deps(), created.token);
  expect(viaToken?.username).toBe(username);
  const session = await startBrowserSession(h.t.deps(), u.id, 1);
  return { me: viaToken!, userId: u.id, tokenId: created.id, token: created.token, session: session.id };
}

describe('the TaskRun log stream when the credential goes', () => {
  const ways = ['the API token is revoked', 'the account is disabled', 'the browser session is logged out'] as const;
  for (const [i, how] of ways.entries()) {
    it(`ends with event: error within the recheck interval once ${how} while it streams`, async () => {
      const who = await localAdmin(`streamer-${i}`);
      const session = how === 'the browser session is logged out';
      const reauthenticate = () =>
        session ? resolveBrowserSession(h.t.deps(), who.session) : authenticateApiToken(h.t.deps(), who.token);
      const controller = new AbortController();
      const options = { after: 0, pollMs: 5, recheckMs: 100, signal: controller.signal, reauthenticate };
      const iterator = (await streamTaskRunLogs(h.deps(), who.me, taskRun, options))[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ event: 'chunk' });
      // Still streaming (nothing new, the rechecks pass) until the credential goes.
      const pending = iterator.next();
      const before = await Promise.race([pending, new Promise((r) => setTimeout(() => r('waiting'), 400))]);
      expect(before).toBe('waiting');
      const goneAt = Date.now();
      if (how === 'the API token is revoked') await revokeApiToken(h.t.deps(), who.me, who.tokenId);
      else if (how === 'the account is disabled')
        await h.t.handle.db.update(users).set({ disabled: true }).where(eq(users.id, who.userId));
      else await endBrowserSession(h.t.deps(), who.session);
      // Without the credential check the stream would go on; it is cut after 3 s so the test fails instead of hanging.
      const cut = setTimeout(() => controller.abort(), 3000);
      try {
        expect((await pending).value).toEqual({
          event: 'error',
          data: { message: CREDENTIAL_GONE, code: 'UNAUTHENTICATED' },
        });
        expect(Date.now() - goneAt).toBeLessThan(1000);
        expect((await iterator.next()).done).toBe(true);
      } finally {
        clearTimeout(cut);
        controller.abort();
      }
    });
  }
});
