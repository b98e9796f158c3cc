/**
 * Manifests for the Logs tab's browser tests. `web` and `solo` run on the kwok nodes (no container starts, so no logs);
 * the others ask for the real node (keelson.dev/real-node) and print ANSI-coloured lines from busybox.
 */
const REAL = `      nodeSelector: { keelson.dev/real-node: "true" }
      tolerations:
        - { key: keelson.dev/real-node, operator: Equal, value: "true", effect: NoSchedule }`;

export const kwokWeb = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: main
          image: example.invalid/web:1
`;

/** A bare kwok Pod: its Logs tab has no pod picker. */
export const solo = `apiVersion: v1
kind: Pod
metadata: { name: solo }
spec:
  containers:
    - name: app
      image: example.invalid/solo:1
`;

export const settings = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { level: info }
`;

/** What the painter's main container prints first, in order (after the escapes are rendered). */
export const PAINTER_LINES = [
  'INFO server listening on :8080',
  'WARN cache is cold',
  'ERROR <img src=x onerror=alert(1)> in request',
  'orange-256 truecolor-cyan',
  ' blue background  done',
];

/**
 * `painter`: an init container, the coloured main container (then one `tick N` a second), and `flaky`, which
 * exits 1 after printing its run so its restart count climbs and it has a previous container.
 */
export const painter = `apiVersion: apps/v1
kind: Deployment
metadata: { name: painter }
spec:
  replicas: 1
  selector: { matchLabels: { app: painter } }
  template:
    metadata:
      labels: { app: painter }
      annotations: { kubectl.kubernetes.io/default-container: main }
    spec:
${REAL}
      terminationGracePeriodSeconds: 1
      initContainers:
        - name: setup
          image: busybox
          command: ["sh", "-c", "echo setup done"]
      containers:
        - name: flaky
          image: busybox
          command: ["sh", "-c", "echo flaky run at $(date +%s); sleep 2; exit 1"]
        - name: main
          image: busybox
          command:
            - sh
            - -c
            - |
              printf '\\033[32mINFO\\033[0m server listening on :8080\\n'
              printf '\\033[33mWARN\\033[0m cache is cold\\n'
              printf '\\033[1;31mERROR\\033[0m <img src=x onerror=alert(1)> in request\\n'
              printf '\\033[38;5;208morange-256\\033[0m \\033[38;2;0;200;255mtruecolor-cyan\\033[0m\\n'
              printf '\\033[44;97m blue background \\033[0m done\\n'
              i=0
              while true; do i=$((i+1)); printf '\\033[36mtick\\033[0m %d\\n' "$i"; sleep 1; done
`;

/** `bulk`: a Job whose pod prints 12,000 numbered lines and exits. */
export const BULK_LINES = 12_000;
export const bulk = `apiVersion: batch/v1
kind: Job
metadata: { name: bulk }
spec:
  backoffLimit: 0
  template:
    spec:
${REAL}
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
          command: ["sh", "-c", "i=1; while [ $i -le ${BULK_LINES} ]; do echo \\"line $i of ${BULK_LINES}\\"; i=$((i+1)); done"]
`;
