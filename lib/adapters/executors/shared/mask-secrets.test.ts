import { describe, expect, it } from 'vitest';
import { createMasker } from './mask-secrets';

describe('createMasker', () => {
  it('replaces every occurrence of every secret', () => {
    const mask = createMasker(['hunter2', 's3cr3t']);
    expect(mask('password=hunter2 token=s3cr3t again hunter2')).toBe('password=*** token=*** again ***');
  });

  it('prefers the longer secret when one contains another', () => {
    const mask = createMasker(['abc', 'abcdef']);
    expect(mask('x abcdef y abc')).toBe('x *** y ***');
  });

  it('treats regex characters literally and ignores empty secrets', () => {
    const mask = createMasker(['', 'a.b*c', '$(x)']);
    expect(mask('a.b*c aXbbc $(x)')).toBe('*** aXbbc ***');
  });

  it('masks each line of a multi-line secret', () => {
    const mask = createMasker(['-----BEGIN KEY-----\nMIIBlongline\n-----END KEY-----\n']);
    expect(mask('MIIBlongline')).toBe('***');
    expect(mask('-----BEGIN KEY-----')).toBe('***');
  });

  it('is the identity without secrets', () => {
    expect(createMasker([])('plain')).toBe('plain');
  });
});
