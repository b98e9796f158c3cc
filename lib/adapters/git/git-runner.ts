/**
 * Runs one git command through simple-git with a minimal, non-interactive environment and,
 * for commands that talk to a remote, the repository's credentials. Credentials travel only
 * in the child's environment (HTTPS: GIT_ASKPASS + env vars) or a 0600 key file that lives
 * for the duration of the command (SSH); never in argv, a stored URL, logs or errors.
 *
 * Every command is hardened against the server's own configuration and network: a private empty
 * HOME (no ~/.gitconfig, no ~/.ssh), no system or global git config, no redirects, only the
 * transport of the URL being fetched (`protocol.allow=never` otherwise), and ssh with `-F /dev/null`
 * and only the registered key (never the server's identities, agent or ssh config). A remote
 * command reaches only the addresses the host guard checked (see repo-host-guard.ts).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { pinConfig, type RemoteTarget } from './repo-host-guard';
import { scrubCredentials } from './repo-url';
import { HOST_VARIABLES, hostEnvironment } from '@/lib/env';

export interface RepoCredentials {
  /** HTTPS user name; defaults to "git" when only a token is given. */
  username?: string;
  /** HTTPS password or access token. */
  token?: string;
  /** PEM/OpenSSH private key for ssh:// and scp-like URLs. */
  sshPrivateKey?: string;
}

export interface GitRunnerOptions {
  /** Folder for the askpass helper and the SSH known_hosts file. */
  stateDir: string;
  allowLocal: boolean;
  /** Kill a command that prints nothing for this long. */
  timeoutMs: number;
}

export interface GitRunOptions {
  credentials?: RepoCredentials;
  env?: Record<string, string>;
  /** What the command talks to: a guarded remote, a local repository (file:// or a path), or nothing. */
  remote?: RemoteTarget | 'local';
}

export interface GitRunner {
  /** Runs `git args…` in `cwd`; resolves with stdout, rejects with a GitCommandError. */
  run(cwd: string, args: string[], opts?: GitRunOptions): Promise<string>;
}

/** A failed git command; `stderr` is already scrubbed of credentials. */
export class GitCommandError extends Error {
  constructor(readonly stderr: string) {
    super(stderr);
    this.name = 'GitCommandError';
  }
}

const ASKPASS = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$KEELSON_GIT_USERNAME" ;;
  *) printf '%s\\n' "$KEELSON_GIT_TOKEN" ;;
esac
`;

function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
  };
  // Not LANG: git's messages stay in English, which git-errors.ts reads.
  const inherited = HOST_VARIABLES.filter((name) => name !== 'LANG');
  return { ...env, ...hostEnvironment(inherited) };
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** ssh that reads no ssh config, offers only `keyFile` (or nothing), and connects to the checked address. */
function sshCommand(keyFile: string | null, knownHosts: string, target: RemoteTarget | undefined): string {
  const args = [
    'ssh',
    '-F',
    '/dev/null',
    '-i',
    shellQuote(keyFile ?? '/dev/null'),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `UserKnownHostsFile=${shellQuote(knownHosts)}`,
  ];
  if (target?.scheme === 'ssh') {
    // Host keys stay filed under the name (and port) the user gave, not the address.
    const alias = target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
    args.push('-o', shellQuote(`HostName=${target.addresses[0]}`), '-o', shellQuote(`HostKeyAlias=${alias}`));
  }
  return args.join(' ');
}

export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const askpassPath = path.join(options.stateDir, 'askpass.sh');
  const home = path.join(options.stateDir, 'home');
  let ready: Promise<void> | null = null;
  const ensureState = () =>
    (ready ??= (async () => {
      await mkdir(home, { recursive: true, mode: 0o700 });
      await writeFile(askpassPath, ASKPASS, { mode: 0o700 });
      await chmod(askpassPath, 0o700);
    })());

  // No credential helpers (they could store tokens), no hooks, no redirects (their target is not
  // checked), and no transport but the one of the URL being fetched.
  const baseConfig = [
    'credential.helper=',
    'core.hooksPath=/dev/null',
    'core.fsmonitor=false',
    'http.followRedirects=false',
    'protocol.allow=never',
  ];

  function configFor(remote: GitRunOptions['remote']): string[] {
    if (remote === 'local') return options.allowLocal ? [...baseConfig, 'protocol.file.allow=always'] : baseConfig;
    if (!remote) return baseConfig;
    return [...baseConfig, `protocol.${remote.scheme}.allow=always`, ...pinConfig(remote)];
  }

  async function run(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<string> {
    await ensureState();
    const env: Record<string, string> = { ...baseEnv(home), ...opts.env };
    const creds = opts.credentials;
    const secrets: string[] = [];
    let keyDir: string | null = null;
    if (creds?.token) {
      env.GIT_ASKPASS = askpassPath;
      env.KEELSON_GIT_USERNAME = creds.username || 'git';
      env.KEELSON_GIT_TOKEN = creds.token;
      secrets.push(creds.token);
    }
    let keyFile: string | null = null;
    if (creds?.sshPrivateKey) {
      keyDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-ssh-'));
      keyFile = path.join(keyDir, 'id');
      const key = creds.sshPrivateKey.endsWith('\n') ? creds.sshPrivateKey : `${creds.sshPrivateKey}\n`;
      await writeFile(keyFile, key, { mode: 0o600 });
    }
    const target = typeof opts.remote === 'object' ? opts.remote : undefined;
    env.GIT_SSH_COMMAND = sshCommand(keyFile, path.join(options.stateDir, 'known_hosts'), target);
    const git = simpleGit({
      baseDir: cwd,
      config: configFor(opts.remote),
      timeout: { block: options.timeoutMs },
      unsafe: {
        allowUnsafeAskPass: true,
        allowUnsafeSshCommand: true,
        allowUnsafeCredentialHelper: true,
        allowUnsafeProtocolOverride: true,
        allowUnsafeHooksPath: true,
        allowUnsafeFsMonitor: true,
        allowUnsafeConfigPaths: true,
      },
    }).env(env);
    try {
      return await git.raw(args);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw new GitCommandError(scrubCredentials(text, secrets).trim());
    } finally {
      if (keyDir) await rm(keyDir, { recursive: true, force: true });
    }
  }

  return { run };
}
