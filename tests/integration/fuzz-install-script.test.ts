import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

/**
 * scripts/fuzz-install.sh replaces its venv folder with `rm -rf`: a KEELSON_SCHEMATHESIS_VENV set by mistake (to $HOME,
 * a project folder) must be refused, with the folder kept, rather than wiped.
 */
const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/fuzz-install.sh');
const notAVenv = mkdtempSync(path.join(tmpdir(), 'x-not-a-venv-'));
afterAll(() => rmSync(notAVenv, { recursive: true, force: true }));

it('refuses a venv folder not named schemathesis-*, and leaves it as it was', () => {
  writeFileSync(path.join(notAVenv, 'precious.txt'), 'keep me');
  const run = spawnSync('bash', [SCRIPT], {
    env: { ...process.env, KEELSON_SCHEMATHESIS_VENV: notAVenv },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect({ status: run.status, kept: existsSync(path.join(notAVenv, 'precious.txt')) }).toEqual({
    status: 2,
    kept: true,
  });
  expect(run.stderr).toContain(`KEELSON_SCHEMATHESIS_VENV=${notAVenv}`);
  expect(run.stderr).toContain('its name must start with schemathesis-');
});
