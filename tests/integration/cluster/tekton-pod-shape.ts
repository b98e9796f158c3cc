/**
 * A TaskRun pod in exactly the shape Tekton v1.15.0's pod builder makes (pkg/pod/pod.go, entrypoint.go, script.go),
 * built by hand for the cluster tests of Tekton's entrypoint (tekton-entrypoint.test.ts). Not product code: the
 * executor's pod builder lives in lib/domain/pipeline/kubernetes/.
 */
import { randomBytes } from 'node:crypto';
import type { V1Container, V1Pod, V1Volume, V1VolumeMount } from '@kubernetes/client-node';

export const ENTRYPOINT_IMAGE = 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0';
export const SHELL_IMAGE = 'busybox:1.36';

export interface ShapeStep {
  /** The Task's step name; the container is `step-<name>`. */
  name: string;
  image: string;
  /** Placed in /tekton/scripts by place-scripts; `#!/bin/sh\nset -e\n` is prepended without a shebang. */
  script: string;
  onError?: 'continue' | 'stopAndFail';
  /** A Go duration, e.g. "1s". */
  timeout?: string;
  stepResults?: string[];
}

export interface ShapeOptions {
  name: string;
  taskRun: string;
  steps: ShapeStep[];
  /** Task results (`-results` on every step). */
  results?: string[];
  /** As with sidecars: no tekton.dev/ready annotation; the first step waits on /tekton/downward/ready. */
  waitForReady?: boolean;
}

/** One entry of a step's termination message: type 1 task result, 3 internal (StartedAt, Reason, ExitCode), 4 step result. */
export interface RunResult {
  key: string;
  value: string;
  type?: number;
}

export function terminationResults(message: string | undefined): RunResult[] {
  return message ? (JSON.parse(message) as RunResult[]) : [];
}

const emptyDir = (name: string): V1Volume => ({ name, emptyDir: {} });
const IMPLICIT_VOLUMES = ['workspace', 'home', 'results', 'steps', 'artifacts'].map((n) =>
  emptyDir(`tekton-internal-${n}`),
);
/** Mounted into each step unless it mounts that path itself (pod.go: binROMount + implicitVolumeMounts). */
const IMPLICIT_MOUNTS: V1VolumeMount[] = [
  { name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true },
  { name: 'tekton-internal-workspace', mountPath: '/workspace' },
  { name: 'tekton-internal-home', mountPath: '/tekton/home' },
  { name: 'tekton-internal-results', mountPath: '/tekton/results' },
  { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
  { name: 'tekton-internal-artifacts', mountPath: '/tekton/artifacts' },
];

/** names.SimpleNameGenerator.RestrictLengthWithRandomSuffix: `<base>-<5 random [a-z0-9]>`. */
const randomSuffix = (base: string): string => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return `${base}-${Array.from(randomBytes(5), (b) => alphabet[b % alphabet.length]).join('')}`;
};

/** script.go's placeScriptInContainer: the place-scripts lines that write one decoded script file. */
function placeScript(script: string, file: string): string {
  const withShebang = script.trim().startsWith('#!') ? script : `#!/bin/sh\nset -e\n${script}`;
  const encoded = Buffer.from(withShebang).toString('base64');
  return (
    `scriptfile="${file}"\ntouch \${scriptfile} && chmod +x \${scriptfile}\n` +
    `cat > \${scriptfile} << '_EOF_'\n${encoded}\n_EOF_\n/tekton/bin/entrypoint decode-script "\${scriptfile}"\n`
  );
}

export function tektonShapedPod(o: ShapeOptions): V1Pod {
  const stepNames = o.steps.map((s) => `step-${s.name}`);
  let placeScripts = '';
  const steps: V1Container[] = o.steps.map((s, i) => {
    const file = `/tekton/scripts/${randomSuffix(`script-${i}`)}`;
    placeScripts += placeScript(s.script, file);
    const args: string[] = [];
    if (i === 0 && o.waitForReady) args.push('-wait_file', '/tekton/downward/ready', '-wait_file_content');
    if (i > 0) args.push('-wait_file', `/tekton/run/${i - 1}/out`);
    args.push('-post_file', `/tekton/run/${i}/out`, '-termination_path', '/tekton/termination');
    args.push('-step_metadata_dir', `/tekton/run/${i}/status`);
    if (s.onError) args.push('-on_error', s.onError);
    if (s.timeout) args.push('-timeout', s.timeout);
    if (s.stepResults?.length) args.push('-step_results', s.stepResults.join(','));
    if (o.results?.length) args.push('-results', o.results.join(','));
    args.push('-entrypoint', file, '--');
    const mounts: V1VolumeMount[] = [{ name: 'tekton-internal-scripts', mountPath: '/tekton/scripts', readOnly: true }];
    if (i === 0 && o.waitForReady) {
      mounts.push({ name: 'tekton-internal-downward', mountPath: '/tekton/downward', readOnly: true });
    }
    // Each step mounts its own /tekton/run/<i> read-write and every other one read-only.
    o.steps.forEach((_, j) =>
      mounts.push({ name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: i !== j }),
    );
    const own = new Set(mounts.map((m) => m.mountPath));
    mounts.push(...IMPLICIT_MOUNTS.filter((m) => !own.has(m.mountPath)));
    return {
      name: stepNames[i],
      image: s.image,
      command: ['/tekton/bin/entrypoint'],
      args,
      terminationMessagePath: '/tekton/termination',
      volumeMounts: mounts,
    };
  });
  const volumes: V1Volume[] = [
    ...IMPLICIT_VOLUMES,
    emptyDir('tekton-internal-scripts'),
    emptyDir('tekton-internal-bin'),
  ];
  if (o.waitForReady) {
    volumes.push({
      name: 'tekton-internal-downward',
      downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] },
    });
  }
  o.steps.forEach((_, i) => volumes.push(emptyDir(`tekton-internal-run-${i}`)));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      labels: { 'tekton.dev/taskRun': o.taskRun, 'app.kubernetes.io/managed-by': 'tekton-pipelines' },
      annotations: o.waitForReady ? {} : { 'tekton.dev/ready': 'READY' },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: 5400, // the default 1 h TaskRun timeout x 1.5, as pod.go sets it
      terminationGracePeriodSeconds: 1, // not Tekton's (default 30 s): quick namespace deletion in tests
      initContainers: [
        {
          name: 'prepare',
          image: ENTRYPOINT_IMAGE,
          workingDir: '/',
          command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', '/tekton/bin/entrypoint', ...stepNames],
          volumeMounts: [
            { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
            { name: 'tekton-internal-steps', mountPath: '/tekton/steps' },
          ],
        },
        {
          name: 'place-scripts',
          image: SHELL_IMAGE,
          command: ['sh'],
          args: ['-c', placeScripts],
          volumeMounts: [
            { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts' },
            { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
          ],
        },
      ],
      containers: steps,
      volumes,
    },
  };
}
