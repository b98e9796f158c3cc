import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { parseEnv } from '../../lib/env';

const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

it('refuses to start with an invalid setting and names the variable', () => {
  const result = start({ PORT: 'eighty', KEELSON_DATA_DIR: '/tmp/keelson-never-created' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('PORT');
  expect(result.stdout).not.toContain('embedded PostgreSQL');
});

it('refuses a partial SSO configuration', () => {
  expect(() => parseEnv({ KEELSON_OIDC_ISSUER: 'https://sso.example.test' })).toThrow(/KEELSON_OIDC_CLIENT_ID/);
});

it('refuses a DATABASE_URL that is not a postgres URL', () => {
  expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
});

it('treats empty variables as unset and applies defaults', () => {
  const e = parseEnv({ PORT: '', KEELSON_DATA_DIR: '' });
  expect(e.PORT).toBe(3000);
  expect(e.KEELSON_DATA_DIR).toBe('./.keelson');
});
