import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPlan, step } from '../executor-local-helpers';

/**
 * Issue 10 review: a step's env used to be the environment of the host-side programs that build its
 * sandbox (nsenter, bubblewrap), which run as host root. `LD_PRELOAD` pointing at a library the step
 * wrote ran the step's code there, outside every namespace. The loader variables must reach only the
 * step's own command.
 */
const LIBRARY = `
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void mark(void) {
  const char *dir = getenv("KEELSON_TEST_MARKER_DIR");
  if (!dir) return;
  char file[4096];
  snprintf(file, sizeof file, "%s/uid-%d-pid-%d", dir, (int)getuid(), (int)getpid());
  FILE *f = fopen(file, "w");
  if (f) { fputs("loaded\\n", f); fclose(f); }
}
`;

let hostDir: string;
let library: string;
let markers: string;
beforeAll(async () => {
  hostDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-preload-'));
  await chmod(hostDir, 0o755);
  await writeFile(path.join(hostDir, 'mark.c'), LIBRARY);
  library = path.join(hostDir, 'mark.so');
  execFileSync('cc', ['-shared', '-fPIC', '-o', library, path.join(hostDir, 'mark.c')]);
  markers = path.join(hostDir, 'markers');
  await mkdir(markers);
  await chmod(markers, 0o777);
});

describe('loader variables in a step env', () => {
  it('never reach the host-side programs that build the sandbox (LD_PRELOAD runs nothing outside it)', async () => {
    const run = await runPlan({}, [
      step('preload', {
        script: 'echo ran',
        env: { LD_PRELOAD: library, KEELSON_TEST_MARKER_DIR: markers, LD_LIBRARY_PATH: hostDir },
      }),
    ]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'bubblewrap' });
    expect(run.text).toContain('ran');
    // Inside the sandbox the host folder does not exist, so any marker was written by a host-side process.
    expect(await readdir(markers)).toEqual([]);
  });

  it('still reach the step’s own command, which runs as the unprivileged step user', async () => {
    // The library's folder is opened to steps read-only, as an operator's KEELSON_SANDBOX_READONLY_PATHS would.
    const run = await runPlan({ extraReadOnlyPaths: [hostDir] }, [
      step('preload', {
        script: 'echo ran',
        env: { LD_PRELOAD: library, KEELSON_TEST_MARKER_DIR: '/workspace/source' },
      }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    const made = (await readdir(run.sourceDir)).filter((f) => f.startsWith('uid-'));
    expect(made.length).toBeGreaterThan(0);
    // The step sees uid 0 in its own user namespace; on the host its files belong to the step user.
    expect(made.every((f) => f.startsWith('uid-0-'))).toBe(true);
    const { uid } = await stat(path.join(run.sourceDir, made[0]));
    expect(uid).not.toBe(0);
  });
});
