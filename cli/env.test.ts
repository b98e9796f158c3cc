import { describe, expect, it } from 'vitest';
import { configPath, resolveTarget } from './config';
import { cliEnv } from './env';

describe('cliEnv', () => {
  it('keeps the CLI settings and nothing else', () => {
    expect(cliEnv({ KEELSON_SERVER: 'https://k.example', KEELSON_TOKEN: 't', OTHER: 'x' })).toEqual({
      KEELSON_SERVER: 'https://k.example',
      KEELSON_TOKEN: 't',
    });
  });

  it('feeds the config path and the target: flags beat the environment', () => {
    expect(configPath(cliEnv({ KEELSON_CONFIG: '/tmp/keelson-cli.json' }))).toBe('/tmp/keelson-cli.json');
    expect(configPath(cliEnv({ HOME: '/home/u' }))).toBe('/home/u/.config/keelson/config.json');
    const env = cliEnv({ KEELSON_SERVER: 'https://k.example/', KEELSON_TOKEN: 'env', KEELSON_CONFIG: '/nonexistent' });
    expect(resolveTarget({}, env)).toEqual({ server: 'https://k.example', token: 'env' });
    expect(resolveTarget({ token: 'flag' }, env)).toEqual({ server: 'https://k.example', token: 'flag' });
  });
});
