import { describe, expect, it } from 'vitest';
import { build, plan, step } from './pod-fixtures';

describe('buildTaskRunPod: sidecars', () => {
  const { pod, problems } = build(
    plan({
      workspaces: [
        { name: 'src', mountPath: '/workspace/src', hostPath: '/x', readOnly: false, source: { kind: 'emptyDir' } },
      ],
      sidecars: [
        {
          name: 'db',
          image: 'postgres:16',
          container: {
            name: 'db',
            image: 'postgres:16',
            env: [{ name: 'POSTGRES_PASSWORD', value: 'pw' }],
            readinessProbe: { exec: { command: ['pg_isready'] } },
            ports: [{ containerPort: 5432 }],
          },
        },
        { name: 'helper', image: 'busybox', script: 'sleep 3600' },
      ],
    }),
  );

  it('runs them verbatim beside the steps as sidecar-<name>, with the workspaces mounted', () => {
    expect(problems).toEqual([]);
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['step-one', 'sidecar-db', 'sidecar-helper']);
    expect(pod.spec.containers[1]).toEqual({
      name: 'sidecar-db',
      image: 'postgres:16',
      env: [{ name: 'POSTGRES_PASSWORD', value: 'pw' }],
      readinessProbe: { exec: { command: ['pg_isready'] } },
      ports: [{ containerPort: 5432 }],
      volumeMounts: [{ name: 'ws-src', mountPath: '/workspace/src', readOnly: false }],
    });
  });

  it("places a sidecar's script like a step's", () => {
    const helper = pod.spec.containers[2];
    expect(helper.command).toEqual(['/tekton/scripts/sidecar-script-1']);
    expect(helper.volumeMounts).toContainEqual({
      name: 'tekton-internal-scripts',
      mountPath: '/tekton/scripts',
      readOnly: true,
    });
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(['prepare', 'place-scripts']);
  });

  it('makes the first step wait for the ready annotation through the Downward API, and sets no READY', () => {
    expect(pod.metadata.annotations['tekton.dev/ready']).toBeUndefined();
    expect(pod.spec.containers[0].args?.slice(0, 3)).toEqual([
      '-wait_file',
      '/tekton/downward/ready',
      '-wait_file_content',
    ]);
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      name: 'tekton-internal-downward',
      mountPath: '/tekton/downward',
      readOnly: true,
    });
    expect(pod.spec.volumes).toContainEqual({
      name: 'tekton-internal-downward',
      downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] },
    });
  });
});

describe('buildTaskRunPod: pod settings', () => {
  it('applies the podTemplate, the service account, labels and annotations', () => {
    const { pod, problems } = build(
      plan({
        labels: {
          'tekton.dev/pipelineRun': 'ci',
          'tekton.dev/pipelineTask': 'build',
          'app.kubernetes.io/managed-by': 'keelson',
        },
        annotations: { 'team.example/owner': 'a' },
        pod: {
          serviceAccountName: 'builder',
          podTemplate: {
            nodeSelector: { 'keelson.dev/real-node': 'true' },
            tolerations: [{ key: 'keelson.dev/real-node', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
            securityContext: { runAsNonRoot: true, fsGroup: 1000 },
            imagePullSecrets: [{ name: 'regcred' }],
            hostAliases: [{ ip: '10.0.0.1', hostnames: ['git.internal'] }],
            dnsPolicy: 'None',
            dnsConfig: { nameservers: ['10.0.0.2'] },
            priorityClassName: 'ci',
            runtimeClassName: 'gvisor',
            automountServiceAccountToken: false,
            env: [
              { name: 'HTTP_PROXY', value: 'http://proxy:3128' },
              { name: 'NPM_TOKEN', valueFrom: { secretKeyRef: { name: 'npm', key: 'token' } } },
            ],
            volumes: [{ name: 'extra', emptyDir: {} }],
            notAPodTemplateField: true,
          },
        },
        steps: [step('a', { env: { HTTP_PROXY: 'ignored' } })],
      }),
      { secrets: { npm: { token: 'npm-secret' } }, allowedPriorityClasses: ['ci'], allowedRuntimeClasses: ['gvisor'] },
    );
    expect(JSON.stringify(pod)).not.toContain('npm-secret');
    expect(problems).toEqual([]);
    expect(pod.metadata.labels).toEqual({
      'tekton.dev/pipelineRun': 'ci',
      'tekton.dev/pipelineTask': 'build',
      'app.kubernetes.io/managed-by': 'keelson',
      'tekton.dev/taskRun': 'ci-build',
    });
    expect(pod.metadata.annotations).toEqual({ 'team.example/owner': 'a', 'tekton.dev/ready': 'READY' });
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'builder',
      nodeSelector: { 'keelson.dev/real-node': 'true' },
      tolerations: [{ key: 'keelson.dev/real-node', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      securityContext: { runAsNonRoot: true, fsGroup: 1000 },
      imagePullSecrets: [{ name: 'regcred' }],
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['git.internal'] }],
      dnsPolicy: 'None',
      priorityClassName: 'ci',
      runtimeClassName: 'gvisor',
      automountServiceAccountToken: false,
    });
    expect(pod.spec.notAPodTemplateField).toBeUndefined();
    expect(pod.spec.volumes.at(-1)).toEqual({ name: 'extra', emptyDir: {} });
    // The podTemplate's env comes after the step's, so it wins (upstream's precedence).
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'HTTP_PROXY', value: 'ignored' },
      { name: 'HTTP_PROXY', value: 'http://proxy:3128' },
      { name: 'NPM_TOKEN', valueFrom: { secretKeyRef: { name: 'ci-build-pod-run', key: 'template.1.NPM_TOKEN' } } },
    ]);
  });

  it('pins the pod to a node with a required node affinity, added to each term the template has', () => {
    expect(build(plan(), { nodeName: 'node-1' }).pod.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
          ],
        },
      },
    });
    const zone = { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] };
    const withTemplate = build(
      plan({
        pod: {
          podTemplate: {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [zone] }] },
              },
              podAntiAffinity: { x: 1 },
            },
          },
        },
      }),
      { nodeName: 'node-1' },
    );
    expect(withTemplate.pod.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [zone, { key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] },
          ],
        },
      },
      podAntiAffinity: { x: 1 },
    });
  });

  it('refuses a label value Kubernetes would refuse, saying how to fix it', () => {
    const { problems } = build(plan({ labels: { 'tekton.dev/pipelineRun': 'x'.repeat(70) } }));
    expect(problems).toEqual([expect.stringContaining('metadata.labels["tekton.dev/pipelineRun"]')]);
  });
});

describe('buildTaskRunPod: what a shared cluster refuses', () => {
  const risky = plan({
    volumes: [
      {
        name: 'docker',
        kind: 'unsupported',
        source: 'hostPath',
        volumeSource: { hostPath: { path: '/var/run/docker.sock' } },
      },
    ],
    steps: [
      step('a', {
        securityContext: {
          privileged: true,
          capabilities: { add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] },
          seccompProfile: { type: 'Unconfined' },
        },
      }),
    ],
    sidecars: [
      {
        name: 'spy',
        image: 'busybox',
        container: {
          name: 'spy',
          image: 'busybox',
          envFrom: [{ secretRef: { name: 'ci-other-pod-run' } }],
          ports: [{ containerPort: 80, hostPort: 80 }],
        },
      },
    ],
    pod: {
      podTemplate: {
        hostNetwork: true,
        hostPID: true,
        priorityClassName: 'system-node-critical',
        securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
        volumes: [
          { name: 'root', hostPath: { path: '/' } },
          { name: 'repo', gitRepo: { repository: 'https://example.invalid/x.git' } },
        ],
      },
    },
  });

  it('names each field and how to fix it', () => {
    const { problems } = build(risky);
    expect(problems).toEqual([
      expect.stringMatching(
        /^podTemplate\.hostNetwork: .* remove it, or ask an administrator to allow privileged pods\.$/,
      ),
      expect.stringMatching(
        /^podTemplate\.priorityClassName: "system-node-critical" is not one of the priority classes/,
      ),
      expect.stringMatching(/^podTemplate\.securityContext\.sysctls\[0\]: sysctl "kernel\.msgmax"/),
      expect.stringMatching(/^spec\.volumes\[0\] \(docker\)\.hostPath: /),
      expect.stringMatching(/^podTemplate\.volumes\[0\] \(root\)\.hostPath: /),
      expect.stringMatching(/^podTemplate\.volumes\[1\] \(repo\)\.gitRepo: a gitRepo volume runs git on the node/),
      expect.stringMatching(/^spec\.steps\[0\] \(a\)\.securityContext\.privileged: /),
      expect.stringMatching(/^spec\.steps\[0\] \(a\)\.securityContext\.capabilities\.add\[1\]: capability "SYS_ADMIN"/),
      expect.stringMatching(/^spec\.steps\[0\] \(a\)\.securityContext\.seccompProfile\.type: /),
      expect.stringMatching(/^spec\.sidecars\[0\] \(spy\)\.ports\[0\]\.hostPort: /),
      expect.stringMatching(
        /^spec\.sidecars\[0\] \(spy\)\.envFrom\[0\]\.secretRef: names the Kubernetes Secret "ci-other-pod-run"/,
      ),
    ]);
    // hostPID is no PodTemplate field (upstream copies only its own fields): it never reaches the pod.
    expect(build(risky, { allowPrivileged: true }).pod.spec.hostPID).toBeUndefined();
  });

  it('allows them when the installation allows privileged pods', () => {
    expect(build(risky, { allowPrivileged: true }).problems).toEqual([]);
  });

  it('allows what baseline allows: default capabilities, RuntimeDefault seccomp, safe sysctls', () => {
    const { problems } = build(
      plan({
        steps: [
          step('a', {
            securityContext: {
              capabilities: { add: ['NET_BIND_SERVICE', 'CAP_CHOWN'], drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
              privileged: false,
            },
          }),
        ],
        pod: {
          podTemplate: {
            securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }] },
          },
        },
      }),
    );
    expect(problems).toEqual([]);
  });
});
