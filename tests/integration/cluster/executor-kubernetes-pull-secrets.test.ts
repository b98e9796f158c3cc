/**
 * imagePullSecrets for image config lookups (security review F7): only Secrets of a pull secret's type are read as
 * registry credentials; a missing Secret and one of another type (an Opaque Secret holding a .dockerconfigjson key)
 * are both left out with the same words, so a TaskRun cannot tell which Secrets exist.
 */
import { describe, expect } from 'vitest';
import { resolveImageCommands } from '@/lib/adapters/executors/kubernetes/image-commands';
import type { ImageCommandSource } from '@/lib/adapters/executors/kubernetes/options';
import { clusterTest as test } from './cluster';
import { realNodePlan, step, testConnection } from './executor-kubernetes-support';

const config = (user: string) =>
  Buffer.from(JSON.stringify({ auths: { 'registry.example': { username: user, password: 'pw' } } })).toString('base64');

/** Records the credentials each lookup got; fails like a registry refusing an anonymous pull. */
function recordingSource() {
  const seen: unknown[][] = [];
  const source: ImageCommandSource = {
    async commandOf(image, options) {
      seen.push(options?.pullSecrets ?? []);
      throw new Error(`image "${image}": the registry refused the pull (401 Unauthorized)`);
    },
  };
  return { source, seen };
}

describe('Kubernetes executor: pull secrets of image config lookups', () => {
  test('only dockerconfigjson/dockercfg Secrets are used; missing and wrong-type ones get the same words', async ({
    kube,
    namespace,
  }) => {
    await kube.core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: 'good' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': config('good') },
      },
    });
    await kube.core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'opaque' }, type: 'Opaque', data: { '.dockerconfigjson': config('opaque') } },
    });
    const conn = await testConnection();
    const lookup = async (names: string[]) => {
      const { source, seen } = recordingSource();
      const plan = realNodePlan({
        steps: [step('a', { image: 'registry.example/private/tool:1' })],
        pod: { podTemplate: { imagePullSecrets: names.map((name) => ({ name })) } },
      });
      const error = await resolveImageCommands(conn, namespace, plan, source).then(
        () => new Error('resolved'),
        (e: Error) => e,
      );
      return { seen: seen[0], message: error.message };
    };

    const all = await lookup(['good', 'opaque', 'missing']);
    expect(all.seen).toEqual([{ auths: { 'registry.example': { username: 'good', password: 'pw' } } }]);

    const opaque = await lookup(['opaque']);
    const missing = await lookup(['missing']);
    expect(opaque.seen).toEqual([]);
    expect(missing.seen).toEqual([]);
    const note = (name: string) =>
      `imagePullSecrets not used: "${name}" (each must be a Secret of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg in namespace "${namespace}" that the executor may read)`;
    expect(opaque.message).toContain(note('opaque'));
    expect(opaque.message.replace('"opaque"', '"X"')).toBe(missing.message.replace('"missing"', '"X"'));
  });
});
