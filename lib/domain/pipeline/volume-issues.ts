import type { z } from 'zod';
import type { TVolume, TVolumeMount } from './volume-schemas';
import { normaliseContainerPath } from './workspace-paths';

interface VolumeUser {
  volumeMounts?: readonly TVolumeMount[];
}

/**
 * A Task spec's volume rules: volume names are unique, every volumeMount (of a step, the stepTemplate
 * or a sidecar) names a declared volume (never a `tekton-internal-` one, as upstream), and a step
 * mounts each path once and never at or inside a workspace; a workspace inside a volume is fine.
 */
export function volumeIssues(
  spec: {
    volumes?: readonly TVolume[];
    workspaces?: readonly { name: string; mountPath?: string }[];
    steps: readonly VolumeUser[];
    stepTemplate?: VolumeUser;
    sidecars?: readonly VolumeUser[];
  },
  ctx: z.RefinementCtx,
): void {
  const names = new Set<string>();
  spec.volumes?.forEach((v, i) => {
    if (names.has(v.name))
      ctx.addIssue({ code: 'custom', path: ['volumes', i, 'name'], message: `volume name "${v.name}" is used twice` });
    names.add(v.name);
  });
  const workspaces = (spec.workspaces ?? []).map((w) => ({
    name: w.name,
    at: normaliseContainerPath(w.mountPath ?? `/workspace/${w.name}`),
  }));
  const users: [(string | number)[], VolumeUser | undefined][] = [
    ...spec.steps.map((s, i): [(string | number)[], VolumeUser] => [['steps', i], s]),
    [['stepTemplate'], spec.stepTemplate],
    ...(spec.sidecars ?? []).map((s, i): [(string | number)[], VolumeUser] => [['sidecars', i], s]),
  ];
  for (const [where, user] of users) {
    const seen = new Set<string>();
    user?.volumeMounts?.forEach((m, j) => {
      const path = [...where, 'volumeMounts', j];
      if (m.name.startsWith('tekton-internal-'))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'name'],
          message: `volumeMount name "${m.name}" cannot start with "tekton-internal-" (upstream keeps those for its own volumes): rename the volume`,
        });
      else if (!m.name.includes('$(') && !names.has(m.name))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'name'],
          message: `volumeMount names volume "${m.name}", which the Task does not declare: add it to spec.volumes`,
        });
      if (m.mountPath.includes('$(')) return;
      const at = normaliseContainerPath(m.mountPath);
      if (seen.has(at))
        ctx.addIssue({ code: 'custom', path: [...path, 'mountPath'], message: `mountPath "${at}" is mounted twice` });
      seen.add(at);
      // A workspace inside the volume is mounted on top of it (a volume at /workspace keeps /workspace/<name>).
      const ws = workspaces.find((w) => at === w.at || at.startsWith(`${w.at}/`));
      if (ws)
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'mountPath'],
          message: `mountPath "${at}" overlaps workspace "${ws.name}" at "${ws.at}": mount the volume in a folder of its own`,
        });
    });
  }
}
