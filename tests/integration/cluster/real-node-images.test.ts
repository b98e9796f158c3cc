/**
 * Images on the real node by their UNCHANGED names: containerd's registry host configuration maps
 * docker.io (and the other public registries) to the cluster's local registry, and each image's
 * config (Entrypoint, Cmd) behaves as the upstream image's does.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test } from './cluster';
import { realNodeOrSkip } from './real-node';
import { eventsOf, runOnRealNode, runToCompletion, terminatedOf, waitPod } from './real-node-pods';

const realNode = realNodeOrSkip();

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The digest the local registry serves for `repository:tag` (the image store's own name for it). */
async function registryDigest(registry: string, repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

const digestOf = (imageID: string | undefined): string | undefined => /sha256:[0-9a-f]{64}$/.exec(imageID ?? '')?.[0];

describe.skipIf(!realNode)('images by unchanged names on the real node', () => {
  test('`image: busybox` (default pull policy) is pulled from the local registry', async ({ kube, namespace }) => {
    const { pod, logs } = await runToCompletion(kube, namespace, 'plain-busybox', {
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello from busybox'] }],
    });
    expect(pod.spec?.containers[0].imagePullPolicy).toBe('Always');
    expect(terminatedOf(pod)?.exitCode).toBe(0);
    expect(logs.trim()).toBe('hello from busybox');
    const status = pod.status?.containerStatuses?.[0];
    // The kubelet names the image by one of its tags: busybox:1.36 is the same image, and when another test pulled
    // it first (the Kubernetes executor's shell image) that tag is the one shown. The digest below is the check.
    expect(status?.image).toMatch(/^docker\.io\/library\/busybox:(latest|1\.36)$/);
    // The digest containerd resolved is the one the local registry serves for library/busybox:latest.
    const served = await registryDigest(realNode?.registry ?? '', 'library/busybox', 'latest');
    expect(served).toMatch(/^sha256:/);
    expect(digestOf(status?.imageID)).toBe(served);
    const reasons = (await eventsOf(kube, namespace, 'plain-busybox')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']));
  });

  test('docker.io/library/busybox:1.36 with IfNotPresent', async ({ kube, namespace }) => {
    const { pod, logs } = await runToCompletion(kube, namespace, 'pinned-busybox', {
      containers: [
        {
          name: 'main',
          image: 'docker.io/library/busybox:1.36',
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'busybox | head -1'],
        },
      ],
    });
    expect(terminatedOf(pod)?.exitCode, logs).toBe(0);
    expect(logs).toMatch(/^BusyBox v1\.\d+/);
    expect(pod.status?.containerStatuses?.[0]?.image).toBe('docker.io/library/busybox:1.36');
  });

  test('the Debian tools image under upstream names runs through each image config', async ({ kube, namespace }) => {
    const [bash, python, git] = await Promise.all([
      // bash: ENTRYPOINT docker-entrypoint.sh, CMD bash — args starting with '-' go to bash.
      runToCompletion(kube, namespace, 'bash', {
        containers: [{ name: 'main', image: 'bash', args: ['-c', 'echo "bash ${BASH_VERSINFO[0]} in $PWD"'] }],
      }),
      // python: no entrypoint, CMD python3 — args replace the command.
      runToCompletion(kube, namespace, 'python', {
        containers: [{ name: 'main', image: 'python', args: ['python3', '-c', 'print(6*7)'] }],
      }),
      // alpine/git: ENTRYPOINT git — args are git's arguments.
      runToCompletion(kube, namespace, 'git', {
        containers: [{ name: 'main', image: 'alpine/git', args: ['--version'] }],
      }),
    ]);
    expect(terminatedOf(bash.pod)?.exitCode, bash.logs).toBe(0);
    expect(bash.logs.trim()).toMatch(/^bash \d in \//);
    expect(terminatedOf(python.pod)?.exitCode, python.logs).toBe(0);
    expect(python.logs.trim()).toBe('42');
    expect(terminatedOf(git.pod)?.exitCode, git.logs).toBe(0);
    expect(git.logs.trim()).toMatch(/^git version \d+\.\d+/);
  });

  test('a name the registry does not have fails the pull with ErrImagePull/ImagePullBackOff', async ({
    kube,
    namespace,
  }) => {
    await runOnRealNode(kube, namespace, 'missing', {
      containers: [{ name: 'main', image: 'docker.io/library/no-such-image-keelson:1' }],
    });
    const pod = await waitPod(kube, namespace, 'missing', 'waiting on a pull error', (p) =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''),
    );
    expect(pod.status?.phase).toBe('Pending');
  });
});
