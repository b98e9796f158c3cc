import { detectBwrap, type SandboxSupport } from './detect-bwrap';
import { FolderPool } from './folder-pool';
import { NetworkPools } from './network-pool';
import { DRAIN_GRACE_MS } from './run-process';
import { hostUsesLoopbackResolver } from './sandbox-policy';
import { Spawner, type HelperKind } from './spawner';
import type { StepUser } from './step-user';

export interface LocalHostOptions {
  /** Which helper starts step processes (KEELSON_STEP_SPAWNER): Python then Node (default), or Node only. */
  spawner?: 'auto' | 'node';
  /** Niceness of step processes (KEELSON_STEP_NICE, default 10). */
  stepNice?: number;
  /** The worker's PATH: where bubblewrap and python3 are looked for, and what steps start with. */
  searchPath?: string;
}

/**
 * What the local executor keeps for the whole worker process: the spawner helper that starts steps'
 * processes, the ready TaskRun folders and networks, and what the sandbox probe found. One per
 * process, built by its composition root (workers/pipelines.ts; tests and benchmarks build their own)
 * and passed to every executor of that process: two of them would start two helpers and keep twice
 * the networks ready.
 */
export interface LocalHost {
  readonly spawner: Spawner;
  readonly folders: FolderPool;
  readonly networks: NetworkPools;
  /** The worker's PATH (see LocalHostOptions). */
  readonly searchPath: string;
  /** Whether the host's resolver is on its loopback (read once): steps then get slirp4netns's DNS. */
  loopbackResolver(): boolean;
  /** Finds bubblewrap and proves it can start a sandbox here, once for each set of arguments. */
  sandboxSupport(
    bwrapPath: string | undefined,
    extraReadOnly: readonly string[],
    user?: StepUser,
  ): Promise<SandboxSupport>;
}

export function createLocalHost(options: LocalHostOptions = {}): LocalHost {
  const kinds: HelperKind[] = options.spawner === 'node' ? ['node'] : ['python', 'node'];
  const searchPath = options.searchPath ?? '';
  const spawner = new Spawner(DRAIN_GRACE_MS, kinds, { stepNice: options.stepNice, searchPath });
  const probes = new Map<string, Promise<SandboxSupport>>();
  let loopbackResolver: boolean | undefined;
  return {
    spawner,
    folders: new FolderPool(),
    networks: new NetworkPools(spawner),
    searchPath,
    loopbackResolver: () => (loopbackResolver ??= hostUsesLoopbackResolver()),
    sandboxSupport(bwrapPath, extraReadOnly, user) {
      const key = `${bwrapPath ?? ''}|${extraReadOnly.join(':')}|${user ? `${user.uid}:${user.gid}` : ''}`;
      let found = probes.get(key);
      if (!found) {
        found = detectBwrap(bwrapPath, extraReadOnly, user, searchPath);
        probes.set(key, found);
      }
      return found;
    },
  };
}
