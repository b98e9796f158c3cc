import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TaskRunOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { SandboxSupport } from './detect-bwrap';
import { SLIRP_DNS } from './step-network';

/**
 * Why steps may not run on this worker, with how to fix it; undefined when they may. Fail closed:
 * without a working sandbox nothing runs unless the operator said so (KEELSON_ALLOW_UNSANDBOXED), and
 * an outbound network that cannot be made is not quietly replaced by the host's.
 */
export function sandboxProblem(
  support: SandboxSupport,
  network: 'outbound' | 'none',
  allowUnsandboxed: boolean,
): string | undefined {
  if (!support.available) {
    if (allowUnsandboxed) return undefined;
    return (
      `Steps cannot run on this worker: there is no working sandbox (${support.reason}). ` +
      'Install bubblewrap (e.g. `apt-get install bubblewrap`, `dnf install bubblewrap`) and make sure user namespaces are allowed, ' +
      'or, on a single-user machine only, set KEELSON_ALLOW_UNSANDBOXED=true to run steps as plain processes with Keelson’s own rights.'
    );
  }
  if (network === 'outbound' && 'missing' in support.network) {
    return (
      `Steps cannot run on this worker: their outbound network needs ${support.network.missing}. ` +
      'Install slirp4netns (e.g. `apt-get install slirp4netns`), or set KEELSON_STEP_NETWORK=none to run steps with loopback only.'
    );
  }
  return undefined;
}

/**
 * The outcome of a TaskRun that could not run at all: no step started. `sandbox` is what its steps
 * would have run in: `none` only when there is no sandbox here (a workspace refused for its path, or
 * a network that could not be made, still happened on a sandboxed worker).
 */
export function sandboxFailure(plan: TaskRunPlan, message: string, sandbox: TaskRunOutcome['sandbox']): TaskRunOutcome {
  return {
    status: 'Failed',
    reason: 'Failed',
    message,
    steps: plan.steps.map((s) => ({
      name: s.name,
      exitCode: null,
      startedAt: null,
      finishedAt: null,
      reason: 'Skipped',
    })),
    results: {},
    sandbox,
  };
}

/**
 * Whether the host resolves names through a server on its loopback (systemd-resolved, dnsmasq), which
 * steps cannot reach. Read once per worker (the LocalHost keeps the answer).
 */
export function hostUsesLoopbackResolver(): boolean {
  let servers: string[] = [];
  try {
    servers = readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((s): s is string => s !== undefined);
  } catch {
    // No resolv.conf: the C library tries 127.0.0.1, which steps cannot reach either.
  }
  return servers.length === 0 || servers.every((s) => s.startsWith('127.') || s === '::1');
}

/**
 * A resolv.conf for steps that points at slirp4netns's DNS forwarder, when the host's points at its
 * own loopback (`loopbackResolver`); undefined when the host's works from the TaskRun's network as it is.
 */
export function stepResolvConf(runRoot: string, loopbackResolver: boolean): string | undefined {
  if (!loopbackResolver) return undefined;
  const file = path.join(runRoot, 'resolv.conf');
  writeFileSync(file, `nameserver ${SLIRP_DNS}\n`, { mode: 0o644 });
  return file;
}

/** Where steps find the system git configuration Keelson gives them (in the read-only `/tekton/scripts`). */
export const STEP_GITCONFIG = '/tekton/scripts/gitconfig';

/**
 * Git's system configuration for sandboxed steps (GIT_CONFIG_SYSTEM): the host's `/etc/gitconfig`,
 * plus `safe.directory = *`. In the sandbox every file the step does not own shows as owned by an
 * unmapped user (the host's root: system folders, paths listed in KEELSON_SANDBOX_READONLY_PATHS,
 * ConfigMap workspaces), and git would refuse to clone or read such a repository ("dubious
 * ownership"). The check guards against a repository another user controls; everything a step can
 * write is its own (its uid, so git trusts it anyway), and what it cannot write is the operator's.
 * A step that sets GIT_CONFIG_SYSTEM or GIT_CONFIG_NOSYSTEM itself keeps its own choice.
 */
export function writeStepGitConfig(scriptsDir: string): void {
  writeFileSync(path.join(scriptsDir, 'gitconfig'), '[include]\n\tpath = /etc/gitconfig\n[safe]\n\tdirectory = *\n', {
    mode: 0o644,
  });
}
