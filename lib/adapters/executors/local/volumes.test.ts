import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepPlan, TaskRunPlan, WorkspaceSource } from '../../../domain/pipeline/task-run-plan';
import { pathMappings, runFolders, subfolders } from './path-rewrite';
import { checkStepMounts, pinWorkspaceMounts } from './workspace-folders';
import { localRefusal, prepareVolumes, stepVolumeMappings, volumesRoot, withStepVolumes } from './volumes';

let base: string;
const folders = () => runFolders(path.join(base, 'run'));
const base0 = () => base;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'keelson-volumes-'));
  for (const dir of subfolders(folders())) mkdirSync(dir, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const step = (fields: Partial<StepPlan> = {}): StepPlan => ({
  name: 's',
  script: 'true',
  env: {},
  onError: 'stopAndFail',
  ...fields,
});
const plan = (fields: Partial<TaskRunPlan>): TaskRunPlan => ({
  taskRunName: 'tr',
  steps: [step()],
  workspaces: [],
  resultNames: [],
  secretsToMask: [],
  ...fields,
});

describe('prepareVolumes', () => {
  it('writes ConfigMap and Secret files (a Secret’s only for its reader), makes emptyDirs and links step indexes', () => {
    const p = plan({
      steps: [
        step({ name: 'a' }),
        step({ name: 'b', volumeMounts: [{ volume: 'e', mountPath: '/e', subPath: 'x/y', readOnly: false }] }),
      ],
      volumes: [
        { name: 'e', kind: 'emptyDir' },
        { name: 'c', kind: 'files', files: [{ path: 'conf/app.txt', value: 'hello' }] },
        {
          name: 's',
          kind: 'files',
          files: [{ path: 'token', value: 'secret', secret: { secret: 's', key: 'token' } }],
        },
      ],
    });
    expect(prepareVolumes(p, folders())).toBeUndefined();
    const root = volumesRoot(folders());
    expect(readFileSync(path.join(root, 'c', 'conf', 'app.txt'), 'utf8')).toBe('hello');
    expect(statSync(path.join(root, 'c', 'conf', 'app.txt')).mode & 0o777).toBe(0o644);
    expect(statSync(path.join(root, 's', 'token')).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(root, 'e', 'x', 'y'))).toBe(true);
    expect(readlinkSync(path.join(folders().steps, '0'))).toBe('step-a');
    expect(readlinkSync(path.join(folders().steps, '1'))).toBe('step-b');
  });

  it('never writes through a symlink in a volume’s folder', () => {
    const outside = path.join(base, 'outside');
    mkdirSync(outside);
    mkdirSync(volumesRoot(folders()), { recursive: true });
    symlinkSync(outside, path.join(volumesRoot(folders()), 'c'));
    const p = plan({ volumes: [{ name: 'c', kind: 'files', files: [{ path: 'f', value: 'x' }] }] });
    expect(prepareVolumes(p, folders())).toMatch(/volume "c" cannot be made: .*c is a symlink/);
    expect(existsSync(path.join(outside, 'f'))).toBe(false);
  });
});

describe('step volume mappings', () => {
  const volumes: TaskRunPlan['volumes'] = [
    { name: 'e', kind: 'emptyDir' },
    { name: 'c', kind: 'files', files: [{ path: 'conf/app.txt', value: 'v' }] },
  ];

  it('maps folders from the volume’s root and one file of a files volume by path', () => {
    const s = step({
      volumeMounts: [
        { volume: 'e', mountPath: '/cache', subPath: 'npm', readOnly: false },
        { volume: 'c', mountPath: '/etc-app/app.txt', subPath: 'conf/app.txt', readOnly: true },
        { volume: 'c', mountPath: '/conf', readOnly: true },
      ],
    });
    const root = volumesRoot(folders());
    expect(stepVolumeMappings(s, plan({ volumes }), folders())).toEqual([
      { container: '/cache', host: path.join(root, 'e', 'npm'), readOnly: false, root: path.join(root, 'e') },
      { container: '/etc-app/app.txt', host: path.join(root, 'c', 'conf', 'app.txt'), readOnly: true, file: true },
      { container: '/conf', host: path.join(root, 'c'), readOnly: true, root: path.join(root, 'c') },
    ]);
    // Most specific first, with the TaskRun's own.
    const all = withStepVolumes(pathMappings(folders(), []), s, plan({ volumes }), folders());
    expect(all[0].container).toBe('/etc-app/app.txt');
  });

  it('a volume at /tekton/home or /workspace replaces that folder for the step; workspaces inside stay on top', () => {
    const s = step({
      volumeMounts: [
        { volume: 'e', mountPath: '/tekton/home', readOnly: false },
        { volume: 'e', mountPath: '/workspace', subPath: 'ws', readOnly: false },
      ],
    });
    const f = folders();
    const root = volumesRoot(f);
    const base = pathMappings(f, [
      { mountPath: '/workspace/src', hostPath: path.join(base0(), 'src'), readOnly: false },
    ]);
    const all = withStepVolumes(base, s, plan({ volumes }), f);
    expect(all.filter((m) => m.container === '/tekton/home')).toEqual([
      { container: '/tekton/home', host: path.join(root, 'e'), readOnly: false, root: path.join(root, 'e') },
    ]);
    expect(all.filter((m) => m.container === '/workspace').map((m) => m.host)).toEqual([path.join(root, 'e', 'ws')]);
    expect(all.map((m) => m.host)).not.toContain(f.home);
    expect(all.map((m) => m.host)).not.toContain(f.workspace);
    expect(all.find((m) => m.container === '/workspace/src')?.host).toBe(path.join(base0(), 'src'));
    // Other steps keep the TaskRun's own folders.
    expect(withStepVolumes(base, step(), plan({ volumes }), f).find((m) => m.container === '/tekton/home')?.host).toBe(
      f.home,
    );
  });

  it('a mount of a workspace’s volume maps the workspace’s folder, from its root, read-only if it is', () => {
    const s = step({
      volumeMounts: [{ volume: 'w', workspace: true, mountPath: '/signals', subPath: 'a', readOnly: false }],
    });
    const ws = {
      name: 'w',
      mountPath: '/workspace/w',
      hostPath: path.join(base, 'vol', 'sub'),
      root: path.join(base, 'vol'),
      readOnly: true,
    };
    expect(stepVolumeMappings(s, plan({ workspaces: [ws] }), folders())).toEqual([
      { container: '/signals', host: path.join(base, 'vol', 'sub', 'a'), readOnly: true, root: path.join(base, 'vol') },
    ]);
  });

  it('a subPath a step swapped for a symlink is refused before the next step, and never bound', () => {
    const p = plan({ volumes });
    expect(prepareVolumes(p, folders())).toBeUndefined();
    const outside = path.join(base, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, path.join(volumesRoot(folders()), 'e', 'link'));
    const s = step({ volumeMounts: [{ volume: 'e', mountPath: '/c', subPath: 'link', readOnly: false }] });
    const mappings = withStepVolumes(pathMappings(folders(), []), s, p, folders());
    expect(checkStepMounts(mappings, folders(), true)).toMatch(/link is a symlink/);
    expect(pinWorkspaceMounts(mappings)).toMatch(/link is a symlink/);
  });
});

const ws = (name: string) => ({ name, mountPath: `/workspace/${name}`, hostPath: `/h/${name}`, readOnly: false });

describe('localRefusal', () => {
  it.each([
    [
      'a step without script or command',
      plan({ steps: [step({ name: 'k', script: undefined, image: 'kaniko' })] }),
      'StepImageEntrypointUnsupported',
      /step "k" \(image kaniko\) has neither script nor command.*the Kubernetes executor runs it \(choose a cluster for pipelines under Settings → Pipelines or set KEELSON_PIPELINE_CLUSTER, or annotate the PipelineRun keelson\.dev\/executor: kubernetes\)$/,
    ],
    [
      'a sidecar that would run its image',
      plan({ sidecars: [{ name: 'db', image: 'redis' }] }),
      'SidecarsUnsupported',
      /sidecar "db" \(image redis\) has neither script nor command/,
    ],
    [
      'a sidecar whose env comes from a Secret',
      plan({ sidecars: [{ name: 'db', script: 'x', unsupported: 'its env comes from a Secret' }] }),
      'SidecarsUnsupported',
      /sidecar "db" cannot run here: its env comes from a Secret/,
    ],
    [
      'a mounted persistentVolumeClaim volume',
      plan({
        steps: [step({ volumeMounts: [{ volume: 'p', mountPath: '/p', readOnly: false }] })],
        volumes: [{ name: 'p', kind: 'unsupported', source: 'persistentVolumeClaim' }],
      }),
      'VolumeSourceUnsupported',
      /bind it to the persistentVolumeClaim/,
    ],
    [
      'a csi workspace',
      plan({ workspaces: [{ ...ws('store'), source: { kind: 'csi', csi: { driver: 'secrets-store.csi.k8s.io' } } }] }),
      'VolumeSourceUnsupported',
      /workspace "store" is bound to a CSI volume \(driver "secrets-store.csi.k8s.io"\), which the local executor cannot provide: this workspace needs the Kubernetes executor/,
    ],
    [
      'a projected workspace with downwardAPI and serviceAccountToken',
      plan({
        workspaces: [
          ws('ok'),
          {
            ...ws('meta'),
            source: {
              kind: 'projected',
              files: [{ path: 'a', value: 'A' }],
              sources: [{ downwardAPI: {} }, { serviceAccountToken: { path: 't' } }, { downwardAPI: {} }],
            },
          },
        ],
      }),
      'VolumeSourceUnsupported',
      /workspace "meta" is bound to a projected volume with downwardAPI, serviceAccountToken sources.*needs the Kubernetes executor/,
    ],
  ])('refuses %s', (_label, p, reason, message) => {
    const refusal = localRefusal(p);
    expect(refusal?.reason).toBe(reason);
    expect(refusal?.message).toMatch(message);
  });

  it('runs workspaces of every source it provides', () => {
    const sources: WorkspaceSource[] = [
      { kind: 'emptyDir' },
      { kind: 'persistentVolumeClaim', claimName: 'c' },
      { kind: 'volumeClaimTemplate', claimName: 'pvc-1', template: {} },
      { kind: 'files', files: [] },
    ];
    expect(
      localRefusal(plan({ workspaces: sources.map((source, i) => ({ ...ws(`w${i}`), source })) })),
    ).toBeUndefined();
  });

  it('refuses script sidecars only where steps have their own loopback (KEELSON_STEP_NETWORK=none)', () => {
    const p = plan({ sidecars: [{ name: 'web', script: 'serve' }] });
    expect(localRefusal(p)).toBeUndefined();
    expect(localRefusal(p, true)?.message).toMatch(/KEELSON_STEP_NETWORK=outbound/);
  });

  it('runs a step with a command, and ignores an unsupported volume no step mounts', () => {
    expect(
      localRefusal(
        plan({
          steps: [step({ script: undefined, command: ['echo'] })],
          volumes: [{ name: 'p', kind: 'unsupported', source: 'csi' }],
        }),
      ),
    ).toBeUndefined();
  });
});
