import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskRuns } from '../../lib/adapters/db/schema';
import {
  apply,
  child,
  logLines,
  onKubernetes,
  rejection,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

const companions = `apiVersion: v1
kind: ConfigMap
metadata: { name: vol-app }
data:
  app.txt: hello-from-configmap
  other.txt: other-value
---
apiVersion: v1
kind: Secret
metadata: { name: vol-creds }
stringData:
  token: vol-s3cr3t-value
---
`;

/** A PipelineRun with one inline task whose spec is `taskSpec` (YAML, indented for that place). */
function oneTask(name: string, taskSpec: string, extra = ''): string {
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ${name} }
spec:
${extra}  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
${taskSpec}`;
}

describe('Task volumes and volumeMounts on the local executor', () => {
  it('mounts emptyDir, configMap, secret and projected volumes; a subPath names a file; secrets are masked', async () => {
    const run = await start(
      h,
      companions +
        oneTask(
          'vol-kinds',
          `          volumes:
            - { name: cache, emptyDir: {} }
            - { name: app, configMap: { name: vol-app, items: [{ key: app.txt, path: conf/app.txt }] } }
            - { name: creds, secret: { secretName: vol-creds } }
            - name: both
              projected:
                sources:
                  - configMap: { name: vol-app }
                  - secret: { name: vol-creds, items: [{ key: token, path: sec/token }] }
          stepTemplate:
            volumeMounts: [{ name: cache, mountPath: /cache }]
          steps:
            - name: write
              image: alpine
              script: |
                echo cached-value > /cache/x
                mkdir -p /cache/deep && echo deep-value > /cache/deep/y
            - name: read
              image: alpine
              volumeMounts:
                - { name: cache, mountPath: /sub, subPath: deep }
                - { name: app, mountPath: /etc-app }
                - { name: creds, mountPath: /creds, readOnly: true }
                - { name: both, mountPath: /both }
                - { name: app, mountPath: /single/app.txt, subPath: conf/app.txt }
              script: |
                echo "cache: $(cat /cache/x)"
                echo "subPath: $(cat /sub/y)"
                echo "configMap: $(cat /etc-app/conf/app.txt)"
                [ -e /etc-app/other.txt ] && echo "other shown" || echo "only items"
                echo "secret: $(cat /creds/token)"
                echo "projected: $(cat /both/app.txt) $(cat /both/other.txt) $(cat /both/sec/token)"
                echo "single: $(cat /single/app.txt)"
                touch /etc-app/new 2>/dev/null && echo "configMap writable" || echo "configMap read-only"
`,
        ),
    );
    const done = await waitForRun(h, run.id);
    const t = await child(h, run.id, 't');
    const lines = await logLines(h, t.id);
    expect(done.status.conditions[0], lines.join('\n')).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(lines).toContain('cache: cached-value');
    expect(lines).toContain('subPath: deep-value');
    expect(lines).toContain('configMap: hello-from-configmap');
    expect(lines).toContain('only items');
    expect(lines).toContain('secret: ***');
    expect(lines).toContain('projected: hello-from-configmap other-value ***');
    expect(lines).toContain('single: hello-from-configmap');
    expect(lines).toContain('configMap read-only');
    expect(lines.join('\n')).not.toContain('vol-s3cr3t-value');
  });

  it('a standalone TaskRun mounts its Task’s Secret and ConfigMap volumes too', async () => {
    const { runs } = await apply(
      h,
      companions +
        `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: vol-solo }
spec:
  taskSpec:
    volumes:
      - { name: creds, secret: { secretName: vol-creds } }
      - { name: app, configMap: { name: vol-app } }
    steps:
      - name: show
        image: alpine
        volumeMounts: [{ name: creds, mountPath: /creds }, { name: app, mountPath: /app }]
        script: |
          echo "solo secret: $(cat /creds/token)"
          echo "solo configMap: $(cat /app/other.txt)"
`,
    );
    await h.engine.execute(runs[0].id);
    const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, runs[0].id));
    const lines = await logLines(h, row.id);
    expect(row.state, lines.join('\n')).toBe('succeeded');
    expect(lines).toContain('solo secret: ***');
    expect(lines).toContain('solo configMap: other-value');
  });

  it('refuses hostPath volumes and escaping mountPaths or subPaths at apply, with the field path', async () => {
    const cases: [string, string, RegExp][] = [
      ['hostPath', `volumes: [{ name: h, hostPath: { path: /etc } }]`, /hostPath volumes are refused/],
      [
        'subPath ..',
        `volumes: [{ name: c, emptyDir: {} }]`,
        /volumeMounts\[0\]\.subPath: subPath "\.\.\/\.\.\/\.\." contains "\.\."/,
      ],
      ['mountPath under /tekton', `volumes: [{ name: c, emptyDir: {} }]`, /lies under \/tekton/],
      ['undeclared volume', `volumes: [{ name: c, emptyDir: {} }]`, /does not declare/],
    ];
    const mounts: Record<string, string> = {
      hostPath: '[{ name: h, mountPath: /host }]',
      'subPath ..': '[{ name: c, mountPath: /c, subPath: ../../.. }]',
      'mountPath under /tekton': '[{ name: c, mountPath: /tekton/results }]',
      'undeclared volume': '[{ name: nope, mountPath: /c }]',
    };
    for (const [label, volumes, message] of cases) {
      const err = await rejection(
        apply(
          h,
          oneTask(
            `vol-bad-${label.replace(/[^a-z]/g, '')}`,
            `          ${volumes}
          steps:
            - { name: s, image: alpine, script: 'true', volumeMounts: ${mounts[label]} }
`,
          ),
        ),
      );
      expect(err.status, label).toBe(400);
      expect(err.details.issues?.map((i) => `${i.path}: ${i.message}`).join('\n'), label).toMatch(message);
    }
  });

  // Local only: the message is the local executor's; on Kubernetes the kubelet itself refuses the symlinked subPath
  // ("failed to prepare subPath for volumeMount"), so nothing escapes there either.
  it.skipIf(onKubernetes)(
    'a subPath from a param that climbs out fails the TaskRun; a symlink planted in an emptyDir is not followed',
    async () => {
      const climbing = await start(
        h,
        `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: vol-param-climb }
spec:
  params: [{ name: dir, value: ../../.. }]
  pipelineSpec:
    params: [{ name: dir }]
    tasks:
      - name: t
        params: [{ name: dir, value: $(params.dir) }]
        taskSpec:
          params: [{ name: dir }]
          volumes: [{ name: c, emptyDir: {} }]
          steps:
            - { name: s, image: alpine, script: 'ls /c', volumeMounts: [{ name: c, mountPath: /c, subPath: $(params.dir) }] }
`,
      );
      const failed = await waitForRun(h, climbing.id);
      expect(failed.status.conditions[0].status).toBe('False');
      const ct = await child(h, climbing.id, 't');
      expect(ct.status.conditions[0].reason).toBe('TaskRunValidationFailed');
      expect(ct.status.conditions[0].message).toContain('contains ".."');

      const planted = await start(
        h,
        oneTask(
          'vol-symlink',
          `          volumes: [{ name: c, emptyDir: {} }]
          steps:
            - name: plant
              image: alpine
              volumeMounts: [{ name: c, mountPath: /c }]
              # The worker made the subPath folder before the steps; the step swaps it for a symlink to /.
              script: rm -rf /c/escape && ln -s / /c/escape && echo planted
            - name: follow
              image: alpine
              volumeMounts: [{ name: c, mountPath: /c2, subPath: escape }]
              script: ls /c2 && echo "saw the host root"
`,
        ),
      );
      const done = await waitForRun(h, planted.id);
      const t = await child(h, planted.id, 't');
      const lines = await logLines(h, t.id);
      expect(lines).toContain('planted');
      expect(lines).not.toContain('saw the host root');
      expect(done.status.conditions[0].status).toBe('False');
      expect(t.status.conditions[0].message).toMatch(
        /escape is a symlink; a symlink anywhere on a workspace path is refused/,
      );
    },
  );

  // Local only: in a container the image's /etc is the step's own, and the kubelet makes the mount point there.
  it.skipIf(onKubernetes)(
    'a mountPath inside a read-only system folder where nothing exists fails the step with a sentence, not bwrap’s',
    async () => {
      const run = await start(
        h,
        oneTask(
          'vol-system-folder',
          `          volumes: [{ name: c, emptyDir: {} }]
          steps:
            - { name: s, image: alpine, script: 'echo ran', volumeMounts: [{ name: c, mountPath: /etc/keelson-no-such-folder }] }
`,
        ),
      );
      await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      expect(t.status.conditions[0].status).toBe('False');
      expect(t.status.conditions[0].message).toContain(
        'mountPath /etc/keelson-no-such-folder lies in /etc, which steps see read-only from the worker',
      );
      expect(await logLines(h, t.id)).not.toContain('ran');
    },
  );

  // Local only: a refusal of the local executor; the Kubernetes executor mounts the claim (here none exists).
  it.skipIf(onKubernetes)(
    'a persistentVolumeClaim volume fails the TaskRun with VolumeSourceUnsupported, naming the workspace instead',
    async () => {
      const run = await start(
        h,
        oneTask(
          'vol-pvc',
          `          volumes: [{ name: data, persistentVolumeClaim: { claimName: cache } }]
          steps:
            - { name: s, image: alpine, script: 'echo ran', volumeMounts: [{ name: data, mountPath: /data }] }
`,
        ),
      );
      await waitForRun(h, run.id);
      const t = await child(h, run.id, 't');
      expect(t.status.conditions[0]).toMatchObject({ status: 'False', reason: 'VolumeSourceUnsupported' });
      expect(t.status.conditions[0].message).toContain('bind it to the persistentVolumeClaim');
      expect(await logLines(h, t.id)).not.toContain('ran');
    },
  );
});
