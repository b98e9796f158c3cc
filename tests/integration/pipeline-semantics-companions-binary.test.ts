import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { companions } from '@/lib/adapters/db/schema-pipelines';
import {
  apply,
  child,
  logLines,
  rejection,
  runTaskRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

// Bytes no text encoding survives: NUL, 0xff, a lone UTF-8 continuation byte, CR LF.
const bytes = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0xc3, 0x28, 0x7f]);
const sha = createHash('sha256').update(bytes).digest('hex');
const b64 = bytes.toString('base64');

const configMap = `apiVersion: v1
kind: ConfigMap
metadata: { name: assets }
data: { note.txt: hello }
binaryData:
  blob.bin: ${b64}
`;

describe('ConfigMap binaryData', () => {
  it('a configMap workspace (items and projected too) shows binaryData keys as files with their exact bytes, beside data', async () => {
    await apply(h, configMap);
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: binary-ws }
spec:
  workspaces:
    - { name: cfg, configMap: { name: assets } }
    - { name: picked, configMap: { name: assets, items: [{ key: blob.bin, path: sub/copy.bin }] } }
    - { name: proj, projected: { sources: [{ configMap: { name: assets } }] } }
  pipelineSpec:
    workspaces: [{ name: cfg }, { name: picked }, { name: proj }]
    tasks:
      - name: check
        workspaces: [{ name: cfg, workspace: cfg }, { name: picked, workspace: picked }, { name: proj, workspace: proj }]
        taskSpec:
          workspaces: [{ name: cfg }, { name: picked }, { name: proj }]
          steps:
            - name: sum
              image: alpine
              script: |
                echo "sum=$(sha256sum < $(workspaces.cfg.path)/blob.bin | cut -d' ' -f1)"
                echo "picked=$(sha256sum < $(workspaces.picked.path)/sub/copy.bin | cut -d' ' -f1)"
                echo "projected=$(sha256sum < $(workspaces.proj.path)/blob.bin | cut -d' ' -f1)"
                echo "size=$(wc -c < $(workspaces.cfg.path)/blob.bin)"
                echo "note=$(cat $(workspaces.cfg.path)/note.txt)"
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const lines = await logLines(h, (await child(h, run.id, 'check')).id);
    expect(lines).toEqual(
      expect.arrayContaining([`sum=${sha}`, `picked=${sha}`, `projected=${sha}`, `size=${bytes.length}`, 'note=hello']),
    );
  });

  it("a Task's configMap volume shows binaryData as bytes too, on a standalone TaskRun", async () => {
    await apply(h, configMap);
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: binary-volume }
spec:
  taskSpec:
    volumes: [{ name: assets, configMap: { name: assets } }]
    steps:
      - name: sum
        image: alpine
        volumeMounts: [{ name: assets, mountPath: /config/assets }]
        script: |
          echo "sum=$(sha256sum < /config/assets/blob.bin | cut -d' ' -f1)"
          echo "note=$(cat /config/assets/note.txt)"
`,
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toEqual(expect.arrayContaining([`sum=${sha}`, 'note=hello']));
  });

  it('env cannot read a binaryData key (Kubernetes reads only data into env): the TaskRun is refused', async () => {
    await apply(h, configMap);
    const err = await rejection(
      apply(
        h,
        `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: binary-env }
spec:
  taskSpec:
    steps:
      - name: env
        image: alpine
        env: [{ name: B, valueFrom: { configMapKeyRef: { name: assets, key: blob.bin } } }]
        script: echo "$B"
`,
      ),
    );
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details.issues)).toContain('blob.bin');
  });

  it('a misspelt ConfigMap field or a key in both data and binaryData is refused with its path; nothing is stored', async () => {
    const misspelt = await rejection(
      apply(h, `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: typo }\nbinarydata: { a: AA== }\n`),
    );
    expect(misspelt.status).toBe(400);
    expect(misspelt.message).toContain('a ConfigMap has no field "binarydata"');
    const clash = await rejection(
      apply(h, `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: clash }\ndata: { a: x }\nbinaryData: { a: AA== }\n`),
    );
    expect(clash.status).toBe(400);
    expect(JSON.stringify(clash.details.issues)).toContain('binaryData.a');
    const stored = await h.t.handle.db
      .select()
      .from(companions)
      .where(inArray(companions.name, ['typo', 'clash']));
    expect(stored).toEqual([]);
  });
});
