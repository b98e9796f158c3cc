import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLogs } from '../../lib/server/pipeline/task-run-logs';
import { onKubernetes, runTaskRun, useHarness, type TaskRunStatus } from './pipeline-semantics-support';

/**
 * Upstream's own examples (tektoncd/pipeline examples/v1/taskruns), applied and run as upstream has
 * them. Where the local executor truly cannot (it runs the worker's tools, and the worker has no
 * busybox `ash`), the one line changed says so.
 */
const h = useHarness();

async function run(yaml: string) {
  const { row, lines } = await runTaskRun(h, yaml);
  const status = row.status as unknown as TaskRunStatus;
  return { row, lines, status, log: lines.join('\n') };
}

function expectSucceeded(status: TaskRunStatus, log: string) {
  expect(status.conditions[0], log).toMatchObject({ status: 'True', reason: 'Succeeded' });
}

// On Kubernetes the image is pulled: the test registry serves ubuntu by tag, not upstream's digest.
const UBUNTU = onKubernetes
  ? 'mirror.gcr.io/ubuntu:24.04'
  : 'mirror.gcr.io/ubuntu@sha256:0d39fcc8335d6d74d5502f6df2d30119ff4790ebbb60b364818d5112d9e3e932';

describe('upstream examples with volumes and sidecars', () => {
  // Local only: the test reads the home folder from the worker's run folder.
  it.skipIf(onKubernetes)(
    'home-volume.yaml: a volume mounted at /tekton/home replaces the home folder for that step only',
    async () => {
      const { status, log, row } = await run(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: home-volume-
spec:
  taskSpec:
    steps:
    - name: write
      image: ${UBUNTU}
      script: echo some stuff > /tekton/home/stuff
    - name: read
      image: ${UBUNTU}
      script: cat /tekton/home/stuff
    - name: override-homevol
      image: ${UBUNTU}
      # /tekton/home/stuff *doesn't* exist, because the specified volumeMount
      # conflicts with it, and the user's explicit declaration wins the tie.
      script: |
        #!/usr/bin/env bash
        [[ ! -f /tekton/home/stuff ]]
      volumeMounts:
      - name: empty
        mountPath: /tekton/home
    volumes:
    - name: empty
      emptyDir: {}
`);
      expectSucceeded(status, log);
      expect(log).toContain('some stuff');
      expect(status.steps?.map((s) => s.terminated?.exitCode)).toEqual([0, 0, 0]);
      // The home folder of the TaskRun kept what the first step wrote; the volume stayed empty.
      const runDir = path.join(h.ed.runsDir, row.name);
      expect(await readFile(path.join(runDir, 'home', 'stuff'), 'utf8')).toBe('some stuff\n');
    },
  );

  it('workspace-volume.yaml: a volume mounted at /workspace replaces it for that step only', async () => {
    const { status, log } = await run(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: workspace-volume-
spec:
  taskSpec:
    steps:
    - name: write
      image: ubuntu
      script: echo some stuff > /workspace/stuff
    - name: read
      image: ubuntu
      script: cat /workspace/stuff

    - name: override-workspace
      image: ubuntu
      # /workspace/stuff *doesn't* exist.
      script: |
        #!/usr/bin/env bash
        [[ ! -f /workspace/stuff ]]
      volumeMounts:
      - name: empty
        mountPath: /workspace

    volumes:
    - name: empty
      emptyDir: {}
`);
    expectSucceeded(status, log);
    expect(log).toContain('some stuff');
  });

  it('a volume at /workspace keeps the Task’s workspaces on top of it (upstream mounts them over it too)', async () => {
    const { status, log } = await run(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: workspace-volume-over-
spec:
  workspaces:
  - name: source
    emptyDir: {}
  taskSpec:
    workspaces:
    - name: source
    volumes:
    - name: empty
    steps:
    - name: write
      image: ubuntu
      script: echo kept > $(workspaces.source.path)/file
    - name: read
      image: ubuntu
      script: |
        #!/usr/bin/env bash
        [[ ! -e /workspace/stuff ]] && cat /workspace/source/file && echo new > /workspace/mine && ls /workspace
      volumeMounts:
      - name: empty
        mountPath: /workspace
`);
    expectSucceeded(status, log);
    expect(log).toContain('kept');
    expect(log).toMatch(/mine\s*\n?source|mine[\s\S]*source/);
  });

  it('custom-volume.yaml, and the same with the volume’s source left out: Kubernetes defaults it to emptyDir', async () => {
    const example = (source: string) => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: custom-volume-
spec:
  taskSpec:
    steps:
    - name: write
      image: ubuntu
      script: |
        #!/usr/bin/env bash
        echo some stuff > /im/a/custom/mount/path/file
      volumeMounts:
      - name: custom
        mountPath: /im/a/custom/mount/path
    - name: read
      image: ubuntu
      script: |
        #!/usr/bin/env bash
        cat /short/and/stout/file | grep stuff
      volumeMounts:
      - name: custom
        mountPath: /short/and/stout
    volumes:
    - name: custom
${source}`;
    for (const source of ['      emptyDir: {}\n', '']) {
      const { status, log } = await run(example(source));
      expect(status.conditions[0], `${source || 'no source'}\n${log}`).toMatchObject({ status: 'True' });
      expect(log).toContain('some stuff');
    }
  });

  it('secret-volume.yaml: a Secret volume mounted under /var (a folder the sandbox makes) is readable', async () => {
    const { status, log } = await run(`kind: Secret
apiVersion: v1
metadata:
  name: secret-vol-password
stringData:
  ninja: SECRET_PASSWORD
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: secret-volume
spec:
  taskSpec:
    steps:
    - image: docker.io/library/ubuntu:24.04
      script: |
        #!/usr/bin/env bash
        SECRET_PASSWORD=$(cat /var/secret/ninja)
        [[ $SECRET_PASSWORD == SECRET_PASSWORD ]]
      volumeMounts:
      - name: secret-volume
        mountPath: /var/secret
    volumes:
    - name: secret-volume
      secret:
        secretName: secret-vol-password
`);
    expectSucceeded(status, log);
  });

  it('secret-volume-params.yaml and task-volume-args.yaml: a volume’s Secret or ConfigMap named by a param', async () => {
    const secret = await run(`kind: Secret
apiVersion: v1
metadata:
  name: secret-vol-param-password
stringData:
  ninja: SECRET_PASSWORD
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: secret-volume-params
spec:
  taskSpec:
    params:
    - name: SCNAME
      description: Name of secret
      type: string
    steps:
    - image: docker.io/library/ubuntu:24.04
      script: |
        #!/usr/bin/env bash
        SECRET_PASSWORD=$(cat /var/secret/ninja)
        [[ $SECRET_PASSWORD == SECRET_PASSWORD ]]
      volumeMounts:
      - name: secret-volume
        mountPath: /var/secret
    volumes:
    - name: secret-volume
      secret:
        secretName: "$(params.SCNAME)"
  params:
  - name: SCNAME
    value: secret-vol-param-password
`);
    expectSucceeded(secret.status, secret.log);
    const configMap = await run(`apiVersion: v1
kind: ConfigMap
metadata:
  name: config-for-testing-volume-args
data:
  test.data: tasks are my jam
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: task-volume-args-
spec:
  taskSpec:
    params:
    - name: CFGNAME
      description: Name of config map
      type: string
    steps:
    - name: read
      image: ${UBUNTU}
      script: |
        #!/usr/bin/env bash
        cat /configmap/test.data
      volumeMounts:
      - name: custom
        mountPath: /configmap
    volumes:
    - name: custom
      configMap:
        name: "$(params.CFGNAME)"
  params:
  - name: CFGNAME
    value: config-for-testing-volume-args
`);
    expectSucceeded(configMap.status, configMap.log);
    expect(configMap.lines).toContain('tasks are my jam');
  });

  it('workspace-in-sidecar.yaml (ash → bash): an unnamed sidecar mounts the workspace’s volume and answers the step', async () => {
    // The one change: upstream's scripts run busybox `ash` from the alpine image; this worker has bash.
    const { status, log, lines, row } =
      await run(`# This example TaskRun demonstrates how to share a Workspace between Steps
# and a Sidecar. The Sidecar must be explicitly configured to mount the
# volume backing a Workspace so that it has access to it.
kind: TaskRun
apiVersion: tekton.dev/v1
metadata:
  generateName: workspace-in-sidecar-
spec:
  timeout: 60s
  workspaces:
  - name: signals
    emptyDir: {}
  taskSpec:
    workspaces:
    - name: signals
    steps:
    - image: mirror.gcr.io/alpine
      computeResources:
        requests:
          memory: "16Mi"
          cpu: "100m"
      script: |
        #!/usr/bin/env bash
        echo "Creating FIFO..."
        mkfifo "$(workspaces.signals.path)/channel"
        echo "Greeting sidecar..."
        echo "hello there" > "$(workspaces.signals.path)/channel"
        echo "Awaiting response..."
        read response < "$(workspaces.signals.path)/channel"
        echo "Sidecar responded: \${response}"
        echo "Step Done."
    sidecars:
    - image: mirror.gcr.io/alpine
      computeResources:
        requests:
          memory: "16Mi"
          cpu: "100m"
      # Note: must explicitly add volumeMount to gain access to Workspace in sidecar
      volumeMounts:
      - name: $(workspaces.signals.volume)
        mountPath: $(workspaces.signals.path)
      script: |
        #!/usr/bin/env bash
        while [[ ! -p "$(workspaces.signals.path)/channel" ]] ; do
          sleep 4
          echo "Polling channel..."
        done
        echo "Awaiting greeting..."
        read message < "$(workspaces.signals.path)"/channel
        echo "Step sent message: \${message}"
        echo "Responding..."
        echo "good day" > "$(workspaces.signals.path)"/channel
        echo "Sidecar Done."
`);
    expectSucceeded(status, log);
    expect(lines).toContain('Sidecar responded: good day');
    expect(lines).toContain('Step sent message: hello there');
    // Upstream names an unnamed sidecar's container "sidecar": its log is that step's.
    const chunks = await readLogs(h.t.deps(), row.id);
    const sidecarSteps = chunks.filter((c) => c.lines.some((l) => l.text.startsWith('Step sent message')));
    expect(sidecarSteps.map((c) => c.step)).toEqual(['sidecar']);
  }, 60_000);
});
