import { describe, expect, it } from 'vitest';
import { kubeconfigProblems } from './kubeconfig-safety';

const base = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) => ({
  clusters: [{ name: 'c', cluster: { server: 'https://k:6443', ...cluster } }],
  users: [{ name: 'u', user }],
  contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'n' } }],
  'current-context': 'x',
});

describe('kubeconfigProblems', () => {
  it('accepts inline data', () => {
    expect(
      kubeconfigProblems(base({ token: 't' }, { 'certificate-authority-data': 'eA==', 'tls-server-name': 'k' })),
    ).toEqual([]);
    expect(
      kubeconfigProblems(
        base({ 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' }, { 'proxy-url': 'socks5://p:1080' }),
      ),
    ).toEqual([]);
  });

  it('names every refused field with its path', () => {
    const paths = kubeconfigProblems(
      base({ exec: {}, 'auth-provider': {}, tokenFile: '/f', 'client-key': '/k' }, { 'certificate-authority': '/ca' }),
    ).map((p) => p.path);
    expect(paths).toEqual([
      'clusters[0].cluster.certificate-authority',
      'users[0].user.exec',
      'users[0].user.auth-provider',
      'users[0].user.tokenFile',
      'users[0].user.client-key',
    ]);
  });

  it('refuses unknown fields (a merge key cannot smuggle exec in), odd proxies and non-mappings', () => {
    expect(kubeconfigProblems(base({ '<<': { exec: {} } })).map((p) => p.path)).toEqual(['users[0].user.<<']);
    expect(kubeconfigProblems(base({ token: 't' }, { 'proxy-url': 'file:///x' }))[0].path).toBe(
      'clusters[0].cluster.proxy-url',
    );
    expect(kubeconfigProblems(base({ token: 't' }, { server: 'unix:///run/k.sock' }))[0].path).toBe(
      'clusters[0].cluster.server',
    );
    expect(kubeconfigProblems('text')[0].path).toBe('(root)');
  });
});
