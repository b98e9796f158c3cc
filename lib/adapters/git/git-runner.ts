/**
 * Runs one git command through simple-git with a minimal, non-interactive environment and,
 * for commands that talk to a remote, the repository's credentials. Credentials travel only
 * in the child's environment (HTTPS: GIT_ASKPASS + env vars) or a 0600 key file that lives
 * for the duration of the command (SSH); never in argv, a stored URL, logs or errors.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { scrubCredentials } from './repo-url';

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

export interface GitRunner {
  /** Runs `git args…` in `cwd`; resolves with stdout, rejects with a GitCommandError. */
  run(cwd: string, args: string[], opts?: { credentials?: RepoCredentials; env?: Record<string, string> }): Promise<string>;
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

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { LANG: 'C', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const askpassPath = path.join(options.stateDir, 'askpass.sh');
  let askpassReady: Promise<void> | null = null;
  const ensureAskpass = () =>
    (askpassReady ??= writeFile(askpassPath, ASKPASS, { mode: 0o700 }).then(() => chmod(askpassPath, 0o700)));

  // No credential helpers (they could store tokens), no hooks, and no local transport unless allowed.
  const config = ['credential.helper=', 'core.hooksPath=/dev/null', 'core.fsmonitor=false'];
  if (!options.allowLocal) config.push('protocol.file.allow=never');

  async function run(
    cwd: string,
    args: string[],
    opts: { credentials?: RepoCredentials; env?: Record<string, string> } = {},
  ): Promise<string> {
    const env: Record<string, string> = { ...baseEnv(), ...opts.env };
    const creds = opts.credentials;
    const secrets: string[] = [];
    let keyDir: string | null = null;
    if (creds?.token) {
      await ensureAskpass();
      env.GIT_ASKPASS = askpassPath;
      env.KEELSON_GIT_USERNAME = creds.username || 'git';
      env.KEELSON_GIT_TOKEN = creds.token;
      secrets.push(creds.token);
    }
    if (creds?.sshPrivateKey) {
      keyDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-ssh-'));
      const keyFile = path.join(keyDir, 'id');
      const key = creds.sshPrivateKey.endsWith('\n') ? creds.sshPrivateKey : `${creds.sshPrivateKey}\n`;
      await writeFile(keyFile, key, { mode: 0o600 });
      const knownHosts = path.join(options.stateDir, 'known_hosts');
      env.GIT_SSH_COMMAND = [
        'ssh', '-i', shellQuote(keyFile), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
        '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${shellQuote(knownHosts)}`,
      ].join(' ');
    }
    const git = simpleGit({
      baseDir: cwd,
      config,
      timeout: { block: options.timeoutMs },
      unsafe: { allowUnsafeAskPass: true, allowUnsafeSshCommand: true, allowUnsafeCredentialHelper: true, allowUnsafeProtocolOverride: true, allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true },
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
