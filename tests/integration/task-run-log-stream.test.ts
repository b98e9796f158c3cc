import { beforeAll, describe, expect, it } from 'vitest';
import type { TAppProject } from '../../lib/domain/gitops/projects';
import { findTaskRun } from '../../lib/server/pipeline/find-task-run';
import { streamTaskRunLogs, type LogStreamEvent } from '../../lib/server/pipeline/stream-task-run-logs';
import { alice, bob, taskAndPipeline, useProjects } from './pipeline-projects-support';

/**
 * Security review: the TaskRun log stream was authorized only when it opened. It now asks `pipelineruns, get`
 * and `logs, get` again while it streams (every 30 s; here every few ms) and ends with an error event once
 * refused.
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
  const options = { after: 0, pollMs: 5, recheckMs, signal: controller.signal };
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
    await expect(streamTaskRunLogs(h.deps(), alice, taskRun, { after: 0 })).rejects.toMatchObject({
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
