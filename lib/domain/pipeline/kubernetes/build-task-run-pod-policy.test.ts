/**
 * What a shared cluster must not give a TaskRun beyond baseline's container checks: volume types outside the
 * restricted policy, Secrets named by volume sources, annotations that turn off AppArmor or seccomp, tolerations of
 * control-plane nodes, runtime classes, schedulers and priority classes the administrator did not allow. The first
 * four are the security review's regression tests (secreview15 F3), which failed before these checks.
 */
import { describe, expect, it } from 'vitest';
import type { TaskRunPlan } from '../task-run-plan';
import { build, plan } from './pod-fixtures';

const problemsOf = (p: TaskRunPlan, extra: Parameters<typeof build>[1] = {}) => build(p, extra).problems.join('\n');

describe('pod builder refuses what a shared cluster must not give a TaskRun', () => {
  it('node-level network volumes and flexVolume (Task volumes and podTemplate volumes)', () => {
    const text = problemsOf(
      plan({
        volumes: [
          {
            name: 'share',
            kind: 'unsupported',
            source: 'nfs',
            volumeSource: { nfs: { server: '10.0.0.5', path: '/' } },
          },
        ],
        pod: { podTemplate: { volumes: [{ name: 'drv', flexVolume: { driver: 'vendor/x' } }] } },
      }),
    );
    expect(text).toMatch(/spec\.volumes\[0\] \(share\)\.nfs/);
    expect(text).toMatch(/podTemplate\.volumes\[0\] \(drv\)\.flexVolume/);
  });
  it('Secrets of the namespace named by a volume source secretRef', () => {
    const text = problemsOf(
      plan({
        pod: {
          podTemplate: {
            volumes: [{ name: 'c', csi: { driver: 'x', nodePublishSecretRef: { name: 'other-pod-run' } } }],
          },
        },
      }),
    );
    expect(text).toMatch(/nodePublishSecretRef/);
  });
  it('AppArmor unconfined through an annotation', () => {
    const text = problemsOf(
      plan({ annotations: { 'container.apparmor.security.beta.kubernetes.io/step-one': 'unconfined' } }),
    );
    expect(text).toMatch(/apparmor/i);
  });
  it('a toleration of every taint (control-plane nodes)', () => {
    const text = problemsOf(plan({ pod: { podTemplate: { tolerations: [{ operator: 'Exists' }] } } }));
    expect(text).toMatch(/tolerations\[0\]/);
  });
});

describe('pod builder: volumes beyond the restricted policy', () => {
  const HOW = /ask an administrator to allow privileged pods\.$/;

  it('names each refused volume type and secret reference with its field path and the fix', () => {
    const { problems } = build(
      plan({
        volumes: [
          {
            name: 'disk',
            kind: 'unsupported',
            source: 'iscsi',
            volumeSource: { iscsi: { targetPortal: 'x', iqn: 'y', lun: 0, secretRef: { name: 'chap' } } },
          },
        ],
        pod: {
          podTemplate: {
            volumes: [
              { name: 'ceph', rbd: { monitors: ['m'], image: 'i', secretRef: { name: 'ceph-admin' } } },
              { name: 'cfs', cephfs: { monitors: ['m'], secretRef: { name: 'ceph-fs' } } },
              { name: 'az', azureFile: { secretName: 'storage-key', shareName: 's' } },
              { name: 'gl', glusterfs: { endpoints: 'e', path: 'p' } },
              { name: 'proj', projected: { sources: [{ secret: { name: 'ci-other-pod-run' } }] } },
            ],
          },
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^spec\.volumes\[0\] \(disk\)\.iscsi: a iscsi volume is mounted by the node itself.*use a persistentVolumeClaim/,
      ),
      expect.stringMatching(/^spec\.volumes\[0\] \(disk\)\.iscsi\.secretRef: names the Kubernetes Secret "chap"/),
      expect.stringMatching(/^podTemplate\.volumes\[0\] \(ceph\)\.rbd: /),
      expect.stringMatching(
        /^podTemplate\.volumes\[0\] \(ceph\)\.rbd\.secretRef: names the Kubernetes Secret "ceph-admin"/,
      ),
      expect.stringMatching(/^podTemplate\.volumes\[1\] \(cfs\)\.cephfs: /),
      expect.stringMatching(
        /^podTemplate\.volumes\[1\] \(cfs\)\.cephfs\.secretRef: names the Kubernetes Secret "ceph-fs"/,
      ),
      expect.stringMatching(/^podTemplate\.volumes\[2\] \(az\)\.azureFile: /),
      expect.stringMatching(
        /^podTemplate\.volumes\[2\] \(az\)\.azureFile\.secretName: names the Kubernetes Secret "storage-key"/,
      ),
      expect.stringMatching(/^podTemplate\.volumes\[3\] \(gl\)\.glusterfs: /),
      expect.stringMatching(
        /^podTemplate\.volumes\[4\] \(proj\)\.projected\.sources\[0\]\.secret: names the Kubernetes Secret "ci-other-pod-run"/,
      ),
    ]);
    for (const p of problems.filter((p) => !p.includes('names the Kubernetes Secret'))) expect(p).toMatch(HOW);
  });

  it('refuses a csi workspace whose nodePublishSecretRef names another Secret, naming the workspace', () => {
    const { problems } = build(
      plan({
        workspaces: [
          {
            name: 'store',
            mountPath: '/workspace/store',
            hostPath: '/x',
            readOnly: false,
            source: { kind: 'csi', csi: { driver: 'secrets-store', nodePublishSecretRef: { name: 'vault-creds' } } },
          },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^workspaces\[0\] \(store\)\.csi\.nodePublishSecretRef: names the Kubernetes Secret "vault-creds"/,
      ),
    ]);
  });

  it('refuses a podTemplate secret volume showing the whole run Secret, allows one with items', () => {
    const whole = build(
      plan({ pod: { podTemplate: { volumes: [{ name: 'all', secret: { secretName: 'ci-build-pod-run' } }] } } }),
    );
    expect(whole.problems).toEqual([
      expect.stringMatching(
        /^podTemplate\.volumes\[0\] \(all\)\.secret\.secretName: names the TaskRun's own run Secret without items/,
      ),
    ]);
    const projected = build(
      plan({
        pod: {
          podTemplate: { volumes: [{ name: 'p', projected: { sources: [{ secret: { name: 'ci-build-pod-run' } }] } }] },
        },
      }),
    );
    expect(projected.problems).toEqual([
      expect.stringMatching(/\.projected\.sources\[0\]\.secret: names the TaskRun's own run Secret/),
    ]);
    const items = build(
      plan({
        pod: {
          podTemplate: {
            volumes: [{ name: 'one', secret: { secretName: 'ci-build-pod-run', items: [{ key: 'k', path: 'k' }] } }],
          },
        },
      }),
    );
    expect(items.problems).toEqual([]);
  });

  it("allows the restricted policy's types, and Tekton's own volumes, scripts and files through the run Secret", () => {
    const { problems, pod } = build(
      plan({
        volumes: [
          { name: 'cfg', kind: 'files', files: [{ path: 'a', value: '1' }] },
          {
            name: 'claim',
            kind: 'unsupported',
            source: 'persistentVolumeClaim',
            volumeSource: { persistentVolumeClaim: { claimName: 'c' } },
          },
        ],
        steps: [{ name: 's', env: {}, onError: 'stopAndFail', image: 'busybox', script: 'echo hi' }],
        pod: {
          podTemplate: {
            volumes: [
              { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
              { name: 'img', image: { reference: 'busybox' } },
              { name: 'dapi', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
              { name: 'c', csi: { driver: 'x', volumeAttributes: { a: 'b' } } },
            ],
          },
        },
      }),
      { scriptsVia: 'secret' },
    );
    expect(problems).toEqual([]);
    expect(pod.spec.volumes.map((v) => v.name)).toEqual(
      expect.arrayContaining(['cfg', 'claim', 'eph', 'img', 'dapi', 'c']),
    );
  });

  it('allows any volume when the installation allows privileged pods', () => {
    const p = plan({ pod: { podTemplate: { volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }] } } });
    expect(build(p).problems).toHaveLength(1);
    expect(build(p, { allowPrivileged: true }).problems).toEqual([]);
  });
});

describe('pod builder: annotations, tolerations and admin allow-lists', () => {
  it('refuses AppArmor and seccomp turned off by annotation, allows runtime/default and localhost profiles', () => {
    const { problems } = build(
      plan({
        annotations: {
          'container.apparmor.security.beta.kubernetes.io/step-one': 'unconfined',
          'container.apparmor.security.beta.kubernetes.io/step-two': 'localhost/k8s-ci',
          'container.apparmor.security.beta.kubernetes.io/step-three': 'runtime/default',
          'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
          'container.seccomp.security.alpha.kubernetes.io/step-one': 'Unconfined',
          'container.seccomp.security.alpha.kubernetes.io/step-two': 'runtime/default',
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^metadata\.annotations\["container\.apparmor\.security\.beta\.kubernetes\.io\/step-one"\]: "unconfined" turns off AppArmor.*remove the annotation/,
      ),
      expect.stringMatching(
        /^metadata\.annotations\["seccomp\.security\.alpha\.kubernetes\.io\/pod"\]: "unconfined" turns off the syscall filter/,
      ),
      expect.stringMatching(
        /^metadata\.annotations\["container\.seccomp\.security\.alpha\.kubernetes\.io\/step-one"\]: /,
      ),
    ]);
  });

  it('refuses wildcard and control-plane tolerations, allows a named taint', () => {
    const { problems } = build(
      plan({
        pod: {
          podTemplate: {
            tolerations: [
              { operator: 'Exists' },
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/master', operator: 'Exists' },
              { key: 'keelson.dev/real-node', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
              { key: 'gpu', operator: 'Exists' },
              { operator: 'Exists', effect: 'NoExecute', key: '' },
            ],
          },
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^podTemplate\.tolerations\[0\]: operator Exists without a key tolerates every taint.*name the taint's key/,
      ),
      expect.stringMatching(
        /^podTemplate\.tolerations\[1\]: tolerates the taint "node-role\.kubernetes\.io\/control-plane"/,
      ),
      expect.stringMatching(/^podTemplate\.tolerations\[2\]: tolerates the taint "node-role\.kubernetes\.io\/master"/),
      expect.stringMatching(/^podTemplate\.tolerations\[5\]: operator Exists without a key/),
    ]);
  });

  const chosen = plan({
    pod: { podTemplate: { runtimeClassName: 'gvisor', schedulerName: 'batch', priorityClassName: 'ci-low' } },
  });

  it('refuses a runtime class, scheduler or priority class when the administrator allows none', () => {
    expect(build(chosen).problems).toEqual([
      'podTemplate.runtimeClassName: "gvisor" is not one of the runtime classes an administrator allows for TaskRuns (none); remove it, or ask an administrator to allow it (KEELSON_POD_RUNTIME_CLASSES).',
      'podTemplate.schedulerName: "batch" is not one of the schedulers an administrator allows for TaskRuns (none); remove it, or ask an administrator to allow it (KEELSON_POD_SCHEDULERS).',
      'podTemplate.priorityClassName: "ci-low" is not one of the priority classes an administrator allows for TaskRuns (none); remove it, or ask an administrator to allow it (KEELSON_POD_PRIORITY_CLASSES).',
    ]);
  });

  it('allows those on the allow-lists (and default-scheduler always), refuses others naming the list', () => {
    const lists = {
      allowedRuntimeClasses: ['gvisor'],
      allowedSchedulers: ['batch'],
      allowedPriorityClasses: ['ci-low', 'ci-high'],
    };
    expect(build(chosen, lists).problems).toEqual([]);
    expect(build(plan({ pod: { podTemplate: { schedulerName: 'default-scheduler' } } })).problems).toEqual([]);
    const other = plan({
      pod: { podTemplate: { priorityClassName: 'system-node-critical', runtimeClassName: 'kata' } },
    });
    expect(build(other, lists).problems).toEqual([
      expect.stringMatching(/^podTemplate\.runtimeClassName: "kata" is not one .* \(only "gvisor"\)/),
      expect.stringMatching(/^podTemplate\.priorityClassName: "system-node-critical" .* \(only "ci-low", "ci-high"\)/),
    ]);
    expect(build(other, { allowPrivileged: true }).problems).toEqual([]);
  });
});
