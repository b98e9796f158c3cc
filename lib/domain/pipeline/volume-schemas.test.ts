import { describe, expect, it } from 'vitest';
import { ZTaskSpec } from './task-schemas';
import { volumeCompanionNames, volumeSource, ZVolume, ZVolumeMount } from './volume-schemas';

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');

describe('ZVolume (core/v1 Volume)', () => {
  it.each([
    ['emptyDir', { name: 'a', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }],
    [
      'configMap',
      { name: 'a', configMap: { name: 'c', items: [{ key: 'k', path: 'd/k', mode: 0o644 }], defaultMode: 420 } },
    ],
    ['secret', { name: 'a', secret: { secretName: 's', optional: true } }],
    ['projected', { name: 'a', projected: { sources: [{ configMap: { name: 'c' } }, { secret: { name: 's' } }] } }],
    ['persistentVolumeClaim', { name: 'a', persistentVolumeClaim: { claimName: 'cache', readOnly: true } }],
    ['csi', { name: 'a', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { x: 'y' } } }],
    ['nfs', { name: 'a', nfs: { server: 'nfs.local', path: '/exports' } }],
    [
      'downwardAPI',
      { name: 'a', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    ],
    // Kubernetes' API defaulting makes a volume without a source an emptyDir.
    ['emptyDir', { name: 'a' }],
  ])('accepts a %s volume', (source, volume) => {
    const parsed = ZVolume.safeParse(volume);
    expect(parsed.success, issues(parsed)).toBe(true);
    if (parsed.success) expect(volumeSource(parsed.data)).toBe(source);
  });

  it.each([
    [
      'hostPath',
      { name: 'a', hostPath: { path: '/etc' } },
      /hostPath volumes are refused: a document may never mount a folder of the worker/,
    ],
    ['two sources', { name: 'a', emptyDir: {}, secret: { secretName: 's' } }, /sets emptyDir and secret/],
    ['an unknown field', { name: 'a', emptyDir: {}, mountPath: '/x' }, /mountPath/],
    ['a bad name', { name: 'A_b', emptyDir: {} }, /DNS-1123/],
    [
      'an item path that climbs',
      { name: 'a', configMap: { name: 'c', items: [{ key: 'k', path: '../k' }] } },
      /contains "\.\."/,
    ],
    [
      'two kinds in one projection',
      { name: 'a', projected: { sources: [{ configMap: { name: 'c' }, secret: { name: 's' } }] } },
      /not configMap and secret/,
    ],
  ])('refuses %s', (_label, volume, message) => {
    const parsed = ZVolume.safeParse(volume);
    expect(parsed.success).toBe(false);
    expect(issues(parsed)).toMatch(message);
  });

  it('names the ConfigMaps and Secrets to load, projected ones included', () => {
    const volumes = [
      { name: 'a', configMap: { name: 'c1' } },
      { name: 'b', secret: { secretName: 's1' } },
      { name: 'p', projected: { sources: [{ configMap: { name: 'c2' } }, { secret: { name: 's2' } }] } },
    ].map((v) => ZVolume.parse(v));
    expect(volumeCompanionNames(volumes)).toEqual({ configMaps: ['c1', 'c2'], secrets: ['s1', 's2'] });
  });
});

describe('ZVolumeMount (core/v1 VolumeMount)', () => {
  it('accepts upstream’s fields, and $(…) in mountPath and subPath until they are substituted', () => {
    const mount = {
      name: 'v',
      mountPath: '/cache/$(params.dir)',
      subPath: '$(params.sub)',
      readOnly: true,
      mountPropagation: 'None',
      recursiveReadOnly: 'IfPossible',
    };
    expect(ZVolumeMount.safeParse(mount).success).toBe(true);
  });

  it.each([
    '/tekton/home',
    '/tekton/home/.docker',
    '/workspace',
    '/workspace/',
    '/etc/app',
    '/usr/share/app',
    '/opt/x',
  ])('accepts a volumeMount at %s (upstream lets a volume replace the home folder or /workspace)', (mountPath) => {
    const parsed = ZVolumeMount.safeParse({ name: 'v', mountPath });
    expect(parsed.success, issues(parsed)).toBe(true);
  });

  it.each([
    ['a relative mountPath', { name: 'v', mountPath: 'cache' }, /is relative/],
    ['a mountPath under /tekton', { name: 'v', mountPath: '/tekton/results' }, /lies under \/tekton/],
    ['a mountPath with ..', { name: 'v', mountPath: '/a/../tekton' }, /contains "\.\."/],
    ['the root folder', { name: 'v', mountPath: '/' }, /root folder/],
    ['/tekton/results', { name: 'v', mountPath: '/tekton/results' }, /only \/tekton\/home may take a volume/],
    ['/tekton/run', { name: 'v', mountPath: '/tekton/run/0' }, /only \/tekton\/home may take a volume/],
    ['/tekton/homework', { name: 'v', mountPath: '/tekton/homework' }, /lies under \/tekton/],
    ['/tekton itself', { name: 'v', mountPath: '/tekton' }, /lies under \/tekton/],
    ['/proc', { name: 'v', mountPath: '/proc/self' }, /lies under \/proc/],
    ['/tekton/home/../steps', { name: 'v', mountPath: '/tekton/home/../steps' }, /contains "\.\."/],
    ['/usr/bin (setpriv)', { name: 'v', mountPath: '/usr/bin' }, /would cover \/usr\/bin/],
    ['a folder of /usr/lib', { name: 'v', mountPath: '/usr/lib/x86_64-linux-gnu' }, /would cover \/usr\/lib/],
    ['/usr itself', { name: 'v', mountPath: '/usr/' }, /would cover \/usr,/],
    ['/etc itself', { name: 'v', mountPath: '/etc' }, /would cover \/etc,/],
    ['the loader cache', { name: 'v', mountPath: '/etc/ld.so.cache' }, /would cover \/etc\/ld\.so\.cache/],
    ['/lib64', { name: 'v', mountPath: '//lib64/' }, /would cover \/lib64/],
    ['a subPath with ..', { name: 'v', mountPath: '/c', subPath: 'a/../../b' }, /contains "\.\."/],
    ['an absolute subPath', { name: 'v', mountPath: '/c', subPath: '/etc' }, /is absolute/],
  ])('refuses %s', (_label, mount, message) => {
    const parsed = ZVolumeMount.safeParse(mount);
    expect(parsed.success).toBe(false);
    expect(issues(parsed)).toMatch(message);
  });
});

describe('a Task spec’s volume rules', () => {
  const spec = (extra: Record<string, unknown>, stepMounts: unknown[]) => ({
    steps: [{ name: 's', image: 'a', script: 'x', volumeMounts: stepMounts }],
    ...extra,
  });

  it('accepts a volume at /workspace with the Task’s workspaces inside it (they are mounted on top, as upstream)', () => {
    const parsed = ZTaskSpec.safeParse(
      spec({ volumes: [{ name: 'v' }], workspaces: [{ name: 'src' }, { name: 'out', mountPath: '/out' }] }, [
        { name: 'v', mountPath: '/workspace' },
      ]),
    );
    expect(parsed.success, issues(parsed)).toBe(true);
  });

  it('accepts mounts of declared volumes from steps and the stepTemplate', () => {
    const parsed = ZTaskSpec.safeParse({
      ...spec({ volumes: [{ name: 'v', emptyDir: {} }] }, [{ name: 'v', mountPath: '/v' }]),
      stepTemplate: { volumeMounts: [{ name: 'v', mountPath: '/t' }] },
    });
    expect(parsed.success, issues(parsed)).toBe(true);
  });

  it.each([
    [
      'an undeclared volume',
      spec({}, [{ name: 'v', mountPath: '/v' }]),
      'steps.0.volumeMounts.0.name',
      /add it to spec.volumes/,
    ],
    [
      'a volume name used twice',
      spec(
        {
          volumes: [
            { name: 'v', emptyDir: {} },
            { name: 'v', emptyDir: {} },
          ],
        },
        [],
      ),
      'volumes.1.name',
      /used twice/,
    ],
    [
      'one mountPath twice in a step',
      spec({ volumes: [{ name: 'v', emptyDir: {} }] }, [
        { name: 'v', mountPath: '/v' },
        { name: 'v', mountPath: '/v/' },
      ]),
      'steps.0.volumeMounts.1.mountPath',
      /mounted twice/,
    ],
    [
      'a mount at a workspace',
      spec({ volumes: [{ name: 'v', emptyDir: {} }], workspaces: [{ name: 'src', mountPath: '/src' }] }, [
        { name: 'v', mountPath: '/src/' },
      ]),
      'steps.0.volumeMounts.0.mountPath',
      /overlaps workspace "src"/,
    ],
    [
      'a tekton-internal- volume (upstream reserves the prefix)',
      spec({ volumes: [{ name: 'tekton-internal-home', emptyDir: {} }] }, [
        { name: 'tekton-internal-home', mountPath: '/h' },
      ]),
      'steps.0.volumeMounts.0.name',
      /cannot start with "tekton-internal-"/,
    ],
    [
      'a mount inside a workspace',
      spec({ volumes: [{ name: 'v', emptyDir: {} }], workspaces: [{ name: 'src' }] }, [
        { name: 'v', mountPath: '/workspace/src/cache' },
      ]),
      'steps.0.volumeMounts.0.mountPath',
      /overlaps workspace "src"/,
    ],
  ])('refuses %s', (_label, input, path, message) => {
    const parsed = ZTaskSpec.safeParse(input);
    expect(parsed.success).toBe(false);
    const found = parsed.error?.issues.find((i) => i.path.join('.') === path);
    expect(found?.message, issues(parsed)).toMatch(message);
  });
});
