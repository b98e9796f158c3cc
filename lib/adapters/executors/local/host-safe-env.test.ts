import { describe, expect, it } from 'vitest';
import { isUnsecureForHost, splitHostEnv, withLateEnv } from './host-safe-env';

describe('host-safe env', () => {
  it.each([
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'LD_AUDIT',
    'GCONV_PATH',
    'GLIBC_TUNABLES',
    'MALLOC_CHECK_',
    'LOCPATH',
    'TMPDIR',
  ])('keeps %s from host-side programs', (name) => {
    expect(isUnsecureForHost(name)).toBe(true);
  });

  it('passes ordinary variables and secrets through the environment, not the command line', () => {
    const { host, late } = splitHostEnv({ PATH: '/usr/bin', TOKEN: 's3cret', LD_PRELOAD: '/x.so' });
    expect(host).toEqual({ PATH: '/usr/bin', TOKEN: 's3cret' });
    expect(late).toEqual({ LD_PRELOAD: '/x.so' });
    expect(withLateEnv(['sh', '-c', 'true'], late)).toEqual([
      '/usr/bin/env',
      '--',
      'LD_PRELOAD=/x.so',
      'sh',
      '-c',
      'true',
    ]);
    expect(withLateEnv(['true'], {})).toEqual(['true']);
  });
});
