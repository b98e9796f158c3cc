import { describe, expect, it } from 'vitest';
import { remoteHost } from './kustomize-refs';

describe('remoteHost', () => {
  it.each([
    ['https://github.com/org/repo//base?ref=v1', 'github.com', 'https'],
    ['git::https://git.example.com:8443/org/repo', 'git.example.com:8443', 'https'],
    ['git@github.com:org/repo.git//base', 'github.com', 'ssh'],
    ['ssh://git@host.example/org/repo', 'host.example', 'ssh'],
    ['github.com/org/repo//base?ref=main', 'github.com', 'https'],
    ['127.0.0.1:8080/org/repo//base', '127.0.0.1:8080', 'https'],
    ['file:///srv/repo//base', '', 'file'],
  ])('%s → %s', (ref, hostPort, scheme) => {
    expect(remoteHost(ref)).toMatchObject({ hostPort, scheme });
  });

  it('is null for local paths', () => {
    for (const ref of ['../base', 'deploy.yaml', '../../outside', 'overlays/prod']) expect(remoteHost(ref)).toBeNull();
  });
});
