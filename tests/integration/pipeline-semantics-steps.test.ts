import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  apply,
  child,
  logLines,
  onKubernetes,
  result,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

/** A PipelineRun with one inline task whose spec is `taskSpec` (YAML, indented for that place). */
function oneTask(name: string, taskSpec: string): string {
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ${name} }
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
${taskSpec}`;
}

describe('steps on the local executor', () => {
  it('a later step reads an earlier step’s exit code at $(steps.step-<name>.exitCode.path) and /tekton/steps/<index>', async () => {
    const run = await start(
      h,
      oneTask(
        'steps-exit-codes',
        `          steps:
            - name: fail
              image: alpine
              onError: continue
              script: exit 3
            - name: ok
              image: alpine
              script: echo fine
            - name: check
              image: alpine
              script: |
                echo "by name: $(cat $(steps.step-fail.exitCode.path))"
                echo "by index: $(cat /tekton/steps/0/exitCode) $(cat /tekton/steps/1/exitCode)"
                echo "path: $(steps.step-fail.exitCode.path)"
`,
      ),
    );
    const done = await waitForRun(h, run.id);
    const t = await child(h, run.id, 't');
    const lines = await logLines(h, t.id);
    expect(done.status.conditions[0], lines.join('\n')).toMatchObject({ status: 'True' });
    expect(lines).toContain('by name: 3');
    expect(lines).toContain('by index: 3 0');
    expect(lines).toContain('path: /tekton/steps/step-fail/exitCode');
    expect(t.status.steps?.[0].terminated).toMatchObject({ exitCode: 3 });
  });

  it('stdoutConfig and stderrConfig copy the step’s output to a task result and a step result, verbatim', async () => {
    const run = await start(
      h,
      oneTask(
        'steps-output-config',
        `          results:
            - name: out
            - name: err
              value: $(steps.produce.results.err)
          steps:
            - name: produce
              image: alpine
              results: [{ name: err }]
              stdoutConfig: { path: $(results.out.path) }
              stderrConfig: { path: $(step.results.err.path) }
              script: |
                printf 'line one\\nline two'
                echo "to stderr" >&2
            - name: read
              image: alpine
              script: |
                echo "read back: $(head -1 $(results.out.path))"
`,
      ),
    );
    const done = await waitForRun(h, run.id);
    const t = await child(h, run.id, 't');
    const lines = await logLines(h, t.id);
    expect(done.status.conditions[0], lines.join('\n')).toMatchObject({ status: 'True' });
    // Still in the logs as well.
    expect(lines).toContain('line one');
    expect(lines).toContain('to stderr');
    expect(lines).toContain('read back: line one');
    expect(result(t.status, 'out')).toBe('line one\nline two');
    expect(result(t.status, 'err')).toBe('to stderr\n');
  });

  // Local only: in a container the step's own filesystem is writable, so Tekton (and the Kubernetes executor) let
  // stdoutConfig write /etc/passwd there; the local executor confines steps to their TaskRun's folders.
  it.skipIf(onKubernetes)(
    'a stdoutConfig path outside the folders a step can write fails the step, saying where to write',
    async () => {
      const run = await start(
        h,
        oneTask(
          'steps-output-outside',
          `          steps:
            - name: s
              image: alpine
              stdoutConfig: { path: /etc/passwd }
              script: echo should-not-run
`,
        ),
      );
      await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      expect(t.status.conditions[0].status).toBe('False');
      expect(t.status.conditions[0].message).toContain('is not a file in a folder the step can write');
      expect(await logLines(h, t.id)).not.toContain('should-not-run');
    },
  );

  // Local only: the Kubernetes executor runs the image's own entrypoint (executor-kubernetes-steps.test.ts).
  it.skipIf(onKubernetes)(
    'a step with neither script nor command fails with StepImageEntrypointUnsupported, pointing to the Kubernetes executor',
    async () => {
      const run = await start(
        h,
        oneTask(
          'steps-entrypoint',
          `          steps:
            - name: before
              image: alpine
              script: echo should-not-run
            - name: image-only
              image: gcr.io/kaniko-project/executor:latest
              args: [--destination, example/app]
`,
        ),
      );
      const done = await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      expect(done.status.conditions[0].status).toBe('False');
      expect(t.status.conditions[0].reason).toBe('StepImageEntrypointUnsupported');
      expect(t.status.conditions[0].message).toContain('"image-only" (image gcr.io/kaniko-project/executor:latest)');
      expect(t.status.conditions[0].message).toContain(
        'the Kubernetes executor runs it (choose a cluster for pipelines under Settings → Pipelines or set KEELSON_PIPELINE_CLUSTER, or annotate the PipelineRun keelson.dev/executor: kubernetes)',
      );
      expect(t.status.conditions[0].message).not.toContain('coming');
      // Decided before any step: nothing ran.
      expect(await logLines(h, t.id)).not.toContain('should-not-run');
    },
  );

  it('apply stores a Task whose step has no script or command, and warns that the local executor will fail it', async () => {
    const applied = await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: image-entrypoint }
spec:
  steps:
    - { name: build, image: gcr.io/kaniko-project/executor:latest, args: [--no-push] }
`,
    );
    expect(applied.applied.map((a) => `${a.kind}/${a.name}`)).toEqual(['Task/image-entrypoint']);
    expect(applied.warnings).toEqual([
      expect.objectContaining({
        path: 'documents[0].spec.steps[0]',
        message: expect.stringMatching(/"build" has neither script nor command.*StepImageEntrypointUnsupported/),
      }),
    ]);
  });

  // Local only: the step calls the worker's curl (the alpine image has none) and the test reads the sidecar's
  // heartbeat from the worker's run folder; sidecars on Kubernetes: tests/integration/cluster/executor-kubernetes-*.
  it.skipIf(onKubernetes)(
    'a script sidecar runs beside the steps (same network and volumes) and is stopped after them',
    async () => {
      const run = await start(
        h,
        oneTask(
          'steps-sidecar-script',
          `          volumes: [{ name: shared, emptyDir: {} }]
          sidecars:
            - name: web
              image: python:3
              volumeMounts: [{ name: shared, mountPath: /shared }]
              script: |
                #!/usr/bin/python3
                import http.server, os
                import threading, time
                open('/shared/pid', 'w').write(str(os.getpid()))
                def beat():
                    n = 0
                    while True:
                        n += 1; open('/shared/beat', 'w').write(str(n)); time.sleep(0.05)
                threading.Thread(target=beat, daemon=True).start()
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200); self.end_headers(); self.wfile.write(b'hello from the sidecar')
                    def log_message(self, *a): print('served', self.path, flush=True)
                http.server.HTTPServer(('127.0.0.1', 8765), H).serve_forever()
          steps:
            - name: call
              image: alpine
              volumeMounts: [{ name: shared, mountPath: /shared }]
              script: |
                for i in $(seq 1 100); do curl -fsS http://127.0.0.1:8765/x && break; sleep 0.1; done
                echo
                [ -s /shared/pid ] && echo "sidecar wrote its pid"
`,
        ),
      );
      const done = await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      const lines = await logLines(h, t.id);
      expect(done.status.conditions[0], lines.join('\n')).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(lines).toContain('hello from the sidecar');
      expect(lines).toContain('sidecar wrote its pid');
      // The sidecar's own output is logged as step sidecar-web.
      expect(lines).toContain('served /x');
      // Stopped with the TaskRun: its heartbeat in the shared volume (a folder of the TaskRun on the worker) stops.
      const beat = path.join(h.ed.runsDir, t.name, 'volumes', 'shared', 'beat');
      const first = await readFile(beat, 'utf8');
      await new Promise((r) => setTimeout(r, 600));
      expect(await readFile(beat, 'utf8')).toBe(first);
    },
  );

  // Local only: a bubblewrap refusal; the Kubernetes executor runs such a sidecar.
  it.skipIf(onKubernetes)(
    'a sidecar that would run its image’s entrypoint fails the TaskRun with SidecarsUnsupported before any step runs',
    async () => {
      const run = await start(
        h,
        oneTask(
          'steps-sidecars',
          `          sidecars:
            - name: redis
              image: redis:7
              readinessProbe: { exec: { command: [redis-cli, ping] } }
          steps:
            - { name: s, image: alpine, script: echo should-not-run }
`,
        ),
      );
      await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      expect(t.status.conditions[0]).toMatchObject({ status: 'False', reason: 'SidecarsUnsupported' });
      expect(t.status.conditions[0].message).toContain('"redis"');
      expect(t.status.conditions[0].message).toContain('Kubernetes executor');
      expect(await logLines(h, t.id)).not.toContain('should-not-run');
    },
  );
});
