import { describe, expect, it } from 'vitest';
import { escapeHelmSetValue, helmSetFlags, parseKustomizeImage } from './tool-args';

describe('parseKustomizeImage', () => {
  it.each([
    ['nginx:1.25', { name: 'nginx', newTag: '1.25' }],
    [
      'nginx=registry.example.com:5000/team/nginx:1.25',
      { name: 'nginx', newName: 'registry.example.com:5000/team/nginx', newTag: '1.25' },
    ],
    ['localhost:5000/app', { name: 'localhost:5000/app' }],
    ['app=app@sha256:abc', { name: 'app', digest: 'sha256:abc' }],
    ['app=other', { name: 'app', newName: 'other' }],
  ])('%s', (spec, expected) => {
    expect(parseKustomizeImage(spec)).toEqual(expected);
  });
});

describe('helm --set values', () => {
  it('escapes commas except in lists and already-escaped ones', () => {
    expect(escapeHelmSetValue('a,b,,c')).toBe('a\\,b\\,\\,c');
    expect(escapeHelmSetValue('a\\,b')).toBe('a\\,b');
    expect(escapeHelmSetValue('{a,b}')).toBe('{a,b}');
  });

  it('uses --set-string for forceString', () => {
    expect(
      helmSetFlags([
        { name: 'replicas', value: '3' },
        { name: 'tag', value: '010', forceString: true },
      ]),
    ).toEqual(['--set', 'replicas=3', '--set-string', 'tag=010']);
  });
});
