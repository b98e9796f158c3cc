import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { request as newRequest } from '@playwright/test';
import { createTestRepo } from '../integration/support/git-repos';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';

const run = promisify(execFile);
const bin = path.resolve('bin/keelson.mjs');
let env: Record<string, string>;

async function keelson(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env } as NodeJS.ProcessEnv,
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test.beforeAll(async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, 'cli pipelines');
  env = {
    KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kcli-')), 'c.json'),
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: token,
  };
  await api.dispose();
});

test('apply --wait runs a PipelineRun from a Tekton file and exits 0', async () => {
  const res = await keelson(['apply', '-f', 'tests/fixtures/pipelines/guarded.yaml', '--wait']);
  expect(res.stdout).toMatch(/^task\/produce (created|unchanged|configured)$/m);
  expect(res.stdout).toMatch(/^pipelinerun\/guarded-run-[a-z0-9]{5} created$/m);
  expect(res.stdout).toMatch(
    /pipelinerun\/guarded-run-[a-z0-9]{5} Completed: Tasks Completed: 3 \(Failed: 0, Cancelled 0\), Skipped: 1/,
  );
  expect(res.code).toBe(0);
});

test('apply --wait resolves a catalog-style Task from Git (resolver: git) and runs it', async () => {
  const repo = await createTestRepo({
    files: {
      'task/hello/hello.yaml':
        'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: hello}\nspec:\n  params: [{name: who}]\n  steps:\n    - {name: say, image: alpine, script: \'echo "resolved hello $(params.who)"\'}\n',
    },
  });
  try {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kgit-')), 'run.yaml');
    writeFileSync(
      file,
      `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: from-git-}\nspec:\n  pipelineSpec:\n    tasks:\n      - name: hello\n        params: [{name: who, value: cli}]\n        taskRef:\n          resolver: git\n          params:\n            - {name: url, value: "${repo.url}"}\n            - {name: revision, value: main}\n            - {name: pathInRepo, value: task/hello/hello.yaml}\n`,
    );
    const res = await keelson(['apply', '-f', file, '--wait']);
    expect(res.stdout, res.stderr).toMatch(/^pipelinerun\/from-git-[a-z0-9]{5} created$/m);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const name = /pipelinerun\/(from-git-[a-z0-9]{5})/.exec(res.stdout)![1];
    const logs = await keelson(['pipelinerun', 'logs', name]);
    expect(logs.stdout).toContain('resolved hello cli');
  } finally {
    await repo.cleanup();
  }
});

test('pipeline start --showlog streams the logs and the exit code follows the run', async () => {
  const ok = await keelson(['pipeline', 'start', 'guarded', '-p', 'deploy=yes', '--showlog']);
  expect(ok.stdout).toContain('[consume : read] got hello-world');
  expect(ok.stdout).toContain('[deploy : deploy] deploying');
  expect(ok.code).toBe(0);
  const list = await keelson(['pipelinerun', 'list', '--pipeline', 'guarded', '-o', 'json']);
  expect(JSON.parse(list.stdout).length).toBeGreaterThanOrEqual(2);

  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kfail-')), 'fail.yaml');
  writeFileSync(
    file,
    'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: { generateName: cli-fails- }\nspec:\n  pipelineSpec:\n    tasks:\n      - name: t\n        taskSpec:\n          steps: [{ name: s, image: alpine, script: "exit 4" }]\n',
  );
  const failed = await keelson(['apply', '-f', file, '--wait']);
  expect(failed.stdout).toMatch(/Failed: Tasks Completed: 1 \(Failed: 1, Cancelled 0\)/);
  expect(failed.code).toBe(1);
});

test('pipelinerun cancel stops a running run', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kslow-')), 'slow.yaml');
  writeFileSync(
    file,
    'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: { name: cli-slow }\nspec:\n  pipelineSpec:\n    tasks:\n      - name: wait\n        taskSpec:\n          steps: [{ name: s, image: alpine, script: "sleep 30" }]\n',
  );
  expect((await keelson(['apply', '-f', file])).code).toBe(0);
  await expect
    .poll(
      async () =>
        JSON.parse((await keelson(['taskrun', 'list', '--pipelinerun', 'cli-slow', '-o', 'json'])).stdout).length,
      { timeout: 15_000 },
    )
    .toBe(1);
  expect((await keelson(['pipelinerun', 'cancel', 'cli-slow'])).stdout).toContain('cancelled');
  await expect
    .poll(
      async () =>
        JSON.parse((await keelson(['pipelinerun', 'describe', 'cli-slow', '-o', 'json'])).stdout).status.conditions[0]
          .reason,
      { timeout: 15_000 },
    )
    .toBe('Cancelled');
  const logs = await keelson(['pipelinerun', 'logs', 'cli-slow']);
  expect(logs.code).toBe(0);
  expect((await keelson(['pipelinerun', 'delete', 'cli-slow'])).stdout).toContain('deleted');
});

// Leave the dashboard as the other specs expect it: no pipelines, no runs.
test.afterAll(async () => {
  const runs = JSON.parse((await keelson(['pipelinerun', 'list', '--limit', '200', '-o', 'json'])).stdout) as {
    name: string;
  }[];
  for (const r of runs) await keelson(['pipelinerun', 'delete', r.name]);
  await keelson(['pipeline', 'delete', 'guarded']);
});
