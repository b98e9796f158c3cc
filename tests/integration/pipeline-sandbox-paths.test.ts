import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../lib/env';
import { child, logLines, pipelineRun, result, start, useHarness, waitForRun } from './pipeline-semantics-support';
import { createTestRepo, type TestRepo } from './support/git-repos';

let repo: TestRepo;
let hidden: string;
beforeAll(async () => {
  repo = await createTestRepo({ name: 'app', files: { 'hello.txt': 'hello from a local repo\n' } });
  // Steps run as an unprivileged user: a folder operators list for them must be readable by others.
  execFileSync('chmod', ['-R', 'a+rX', repo.projectRoot]);
  hidden = await mkdtemp(path.join(os.tmpdir(), 'keelson-unlisted-'));
  await writeFile(path.join(hidden, 'secret.txt'), 'not for steps\n');
});
afterAll(async () => {
  await repo?.cleanup();
  if (hidden) await rm(hidden, { recursive: true, force: true });
});

// Only the repo's folder is listed (KEELSON_SANDBOX_READONLY_PATHS); `hidden` is not.
const h = useHarness({ executor: () => ({ extraReadOnlyPaths: [repo.projectRoot] }) });

/** A PipelineRun whose first task runs `script` with an emptyDir workspace `source`, then `more` tasks. */
const runWithCloneStep = (name: string, script: string[], more: unknown[] = []) =>
  pipelineRun(
    name,
    {
      workspaces: [{ name: 'ws' }],
      tasks: [
        {
          name: 'clone',
          workspaces: [{ name: 'source', workspace: 'ws' }],
          taskSpec: {
            workspaces: [{ name: 'source' }],
            results: [{ name: 'greeting' }, { name: 'commit' }],
            steps: [{ name: 'clone', image: 'alpine/git', script: script.join('\n') }],
          },
        },
        ...more,
      ],
    },
    { workspaces: [{ name: 'ws', emptyDir: {} }] },
  );

describe('KEELSON_SANDBOX_READONLY_PATHS', () => {
  it('lets a step git clone a local repo from a listed path and pass what it read on', async () => {
    const sha = await repo.sha();
    const run = await start(
      h,
      runWithCloneStep(
        'clone-local',
        [
          `git clone --quiet ${repo.bareDir} $(workspaces.source.path)/src`,
          'cd $(workspaces.source.path)/src',
          'echo "read: $(cat hello.txt)"',
          'printf \'%s\' "$(cat hello.txt)" > $(results.greeting.path)',
          "git rev-parse HEAD | tr -d '\\n' > $(results.commit.path)",
        ],
        [
          {
            name: 'use',
            params: [{ name: 'g', value: '$(tasks.clone.results.greeting)' }],
            taskSpec: {
              params: [{ name: 'g' }],
              steps: [{ name: 'show', image: 'alpine', script: 'echo "next task got: $(params.g)"' }],
            },
          },
        ],
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const clone = await child(h, run.id, 'clone');
    expect((clone.status as { sandbox?: string }).sandbox).toBe('bubblewrap');
    expect(result(clone.status, 'greeting')).toBe('hello from a local repo');
    expect(result(clone.status, 'commit')).toBe(sha);
    expect(await logLines(h, clone.id)).toContain('read: hello from a local repo');
    expect(await logLines(h, (await child(h, run.id, 'use')).id)).toContain('next task got: hello from a local repo');
  });

  it('mounts the listed path read-only, and an unlisted path stays invisible and untouched', async () => {
    const marker = `written-${Date.now()}`;
    const head = await repo.sha();
    const run = await start(
      h,
      runWithCloneStep('probe-paths', [
        `test -f ${repo.bareDir}/HEAD && echo "listed is visible"`,
        `if touch ${repo.bareDir}/${marker} 2>/dev/null; then echo "WROTE listed"; else echo "listed is read-only"; fi`,
        `if git -C ${repo.workDir} commit --allow-empty -q -m x 2>/dev/null; then echo "COMMITTED listed"; else echo "cannot commit in listed"; fi`,
        `if test -e ${hidden}/secret.txt; then echo "VISIBLE unlisted"; else echo "unlisted is invisible"; fi`,
        `mkdir -p ${hidden} && echo escaped > ${hidden}/${marker} && echo "wrote the unlisted path inside the sandbox only"`,
      ]),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const lines = await logLines(h, (await child(h, run.id, 'clone')).id);
    expect(lines).toEqual([
      'listed is visible',
      'listed is read-only',
      'cannot commit in listed',
      'unlisted is invisible',
      'wrote the unlisted path inside the sandbox only',
    ]);
    expect(existsSync(path.join(repo.bareDir, marker))).toBe(false);
    expect(existsSync(path.join(hidden, marker))).toBe(false);
    expect(await repo.sha()).toBe(head);
  });

  it('is parsed from colon- or comma-separated absolute paths, and refuses relative or reserved ones', () => {
    const parse = (v: string | undefined) =>
      parseEnv({ KEELSON_SANDBOX_READONLY_PATHS: v }).KEELSON_SANDBOX_READONLY_PATHS;
    expect(parse(undefined)).toEqual([]);
    expect(parse('/srv/git:/tmp/repos/, /opt/tools/../src')).toEqual(['/srv/git', '/tmp/repos', '/opt/src']);
    expect(() => parse('srv/git')).toThrow(/KEELSON_SANDBOX_READONLY_PATHS.*absolute/);
    for (const reserved of ['/', '/tmp', '/workspace/x', '/tekton', '/proc'])
      expect(() => parse(reserved)).toThrow(/KEELSON_SANDBOX_READONLY_PATHS.*cannot be/);
  });
});
