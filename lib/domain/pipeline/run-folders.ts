/**
 * The folders of runs in `<data>/runs/`. PipelineRun and TaskRun names are unique in their own table only (a standalone
 * TaskRun of one project may share a PipelineRun's name of another), and PipelineRun names may hold dots (`x.retry-1`).
 * The mapping below uses `+`, which no name may contain (names are lowercase letters, digits, `-` and `.`), to keep the
 * kinds and the retries apart, so no two runs ever map to one folder:
 * - a PipelineRun (its shared workspaces): `<name>+p`;
 * - a TaskRun (its scratch folders, and a standalone TaskRun's workspaces): `<name>`, its retry N `<name>+retry-N`.
 * (`+p` is short: a PipelineRun name may have 253 characters and a folder name 255.)
 */
export type RunKind = 'PipelineRun' | 'TaskRun';

export interface RunFolderOwner {
  kind: RunKind;
  name: string;
}

export const pipelineRunFolder = (name: string) => `${name}+p`;

export const taskRunFolder = (name: string, attempt = 0) => (attempt > 0 ? `${name}+retry-${attempt}` : name);

/** Whose folder an entry of `runs/` is (of the forms above); undefined for the executor's own (`.pool`). */
export function runFolderOwner(entry: string): RunFolderOwner | undefined {
  if (entry.startsWith('.')) return undefined;
  const run = /^(.+)\+p$/.exec(entry);
  if (run) return { kind: 'PipelineRun', name: run[1] };
  return { kind: 'TaskRun', name: entry.replace(/\+retry-\d+$/, '') };
}

/** The first-attempt folder of the run an entry of `runs/` belongs to (a retry's gives its TaskRun's). */
export function baseRunFolder(entry: string): string | undefined {
  const owner = runFolderOwner(entry);
  if (!owner) return undefined;
  return owner.kind === 'PipelineRun' ? pipelineRunFolder(owner.name) : taskRunFolder(owner.name);
}
