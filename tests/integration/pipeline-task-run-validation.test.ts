import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskRuns } from '@/lib/adapters/db/schema';
import { apply, rejection, runTaskRun, useHarness } from './pipeline-semantics-support';

const h = useHarness();

// What validateTaskRun (never called, removed) checked, on the path a standalone TaskRun really takes:
// apply → createTaskRun → planChildTaskRun/resolveTaskRun, refused with 400 before anything is stored.
beforeAll(async () => {
  await apply(
    h,
    `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: echo }
spec:
  params: [{ name: msg }]
  workspaces: [{ name: out }]
  steps: [{ name: say, image: alpine, script: 'echo "said $(params.msg)"' }]
`,
  );
});

const taskRun = (name: string, spec: string) =>
  `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: { name: ${name} }\nspec:\n${spec}\n`;

describe('a standalone TaskRun is validated when it is applied', () => {
  it('runs when the Task exists, its params fit and its workspaces are bound', async () => {
    const { row, lines } = await runTaskRun(
      h,
      taskRun(
        'tr-ok',
        '  taskRef: { name: echo }\n  params: [{ name: msg, value: hi }]\n  workspaces: [{ name: out, emptyDir: {} }]',
      ),
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toContain('said hi');
  });

  it.each([
    ['a missing Task', 'tr-no-task', '  taskRef: { name: nope }', 'spec.taskRef.name', /no Task named "nope"/],
    [
      'a missing param',
      'tr-no-param',
      '  taskRef: { name: echo }\n  workspaces: [{ name: out, emptyDir: {} }]',
      'spec.params',
      /ParameterMissing/,
    ],
    [
      'a wrong param type',
      'tr-bad-type',
      '  taskRef: { name: echo }\n  params: [{ name: msg, value: [a] }]\n  workspaces: [{ name: out, emptyDir: {} }]',
      'spec.params',
      /ParameterTypeMismatch/,
    ],
    [
      'an unbound workspace',
      'tr-no-ws',
      '  taskRef: { name: echo }\n  params: [{ name: msg, value: hi }]',
      'spec.workspaces',
      /workspace "out" of task "echo" is not bound/,
    ],
  ])('refuses %s with 400, its path and the reason; nothing is stored', async (_label, name, spec, path, message) => {
    const err = await rejection(apply(h, taskRun(name, spec)));
    expect(err.status).toBe(400);
    const issue = err.details.issues?.find((i) => i.path.includes(path));
    expect(issue?.message).toMatch(message);
    expect(await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, name))).toEqual([]);
  });
});
