/**
 * Real git repositories for tests, plus a smart-HTTP server in front of them.
 *
 *   const repo = await createTestRepo({ files: { 'app/cm.yaml': yaml } });  // commits on `main`
 *   repo.url                                   // file:// URL of the bare "origin" (KEELSON_ALLOW_LOCAL_REPOS)
 *   const sha = await repo.commit({ 'app/cm.yaml': other, 'old.yaml': null }, 'edit');  // null deletes
 *   await repo.branch('feature'); await repo.checkout('feature'); await repo.tag('v1');
 *   await repo.commit(copyFixtureFiles('tests/fixtures/repos/helm-app', 'charts/app'));
 *   const server = await serveGitHttp(repo.projectRoot, { username: 'u', password: 'p' });
 *   server.url(repo.name)                      // http://127.0.0.1:PORT/<name>.git, smart HTTP via git http-backend
 *   await server.close(); await repo.cleanup();
 *
 * Every commit, branch and tag is pushed to the bare origin at once (`git push --mirror`),
 * so what the test wrote is what a client fetching `repo.url` or `server.url(...)` sees.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Keelson Test',
  GIT_AUTHOR_EMAIL: 'test@keelson.dev',
  GIT_COMMITTER_NAME: 'Keelson Test',
  GIT_COMMITTER_EMAIL: 'test@keelson.dev',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

export type FileMap = Record<string, string | null>;

export interface TestRepo {
  name: string;
  /** Folder that holds `<name>.git`; serve it with serveGitHttp. */
  projectRoot: string;
  /** Bare origin. */
  bareDir: string;
  /** file:// URL of the bare origin. */
  url: string;
  /** Working clone the builders write in. */
  workDir: string;
  /** Writes (string) or deletes (null) files, commits on the current branch, pushes; returns the SHA. */
  commit(files: FileMap, message?: string): Promise<string>;
  branch(name: string, from?: string): Promise<void>;
  checkout(name: string): Promise<void>;
  /** Lightweight tag, or annotated when `message` is given. */
  tag(name: string, ref?: string, message?: string): Promise<void>;
  deleteBranch(name: string): Promise<void>;
  /** SHA of a ref in the working clone (default HEAD). */
  sha(ref?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createTestRepo(
  opts: { name?: string; files?: FileMap; message?: string } = {},
): Promise<TestRepo> {
  const name = opts.name ?? 'repo';
  const projectRoot = await mkdtemp(path.join(os.tmpdir(), 'keelson-git-'));
  const bareDir = path.join(projectRoot, `${name}.git`);
  const workDir = path.join(projectRoot, `${name}.work`);
  await git(projectRoot, 'init', '--quiet', '--bare', '--initial-branch=main', bareDir);
  await git(projectRoot, 'init', '--quiet', '--initial-branch=main', workDir);
  await git(workDir, 'remote', 'add', 'origin', bareDir);
  const push = () => git(workDir, 'push', '--quiet', '--force', '--mirror', 'origin');

  const repo: TestRepo = {
    name,
    projectRoot,
    bareDir,
    url: `file://${bareDir}`,
    workDir,
    async commit(files, message = 'update') {
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(workDir, file);
        if (content === null) await rm(target, { recursive: true, force: true });
        else {
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await git(workDir, 'add', '--all');
      await git(workDir, 'commit', '--quiet', '--allow-empty', '-m', message);
      await push();
      return git(workDir, 'rev-parse', 'HEAD');
    },
    async branch(branchName, from = 'HEAD') {
      await git(workDir, 'branch', branchName, from);
      await push();
    },
    async checkout(branchName) {
      await git(workDir, 'checkout', '--quiet', branchName);
    },
    async tag(tagName, ref = 'HEAD', message) {
      await git(workDir, 'tag', ...(message ? ['-a', '-m', message] : []), tagName, ref);
      await push();
    },
    async deleteBranch(branchName) {
      await git(workDir, 'branch', '-D', branchName);
      await push();
    },
    sha: (ref = 'HEAD') => git(workDir, 'rev-parse', `${ref}^{commit}`),
    cleanup: () => rm(projectRoot, { recursive: true, force: true }),
  };
  if (opts.files) await repo.commit(opts.files, opts.message ?? 'initial commit');
  return repo;
}

/** Reads a fixture folder (relative to the repository root or absolute) into a FileMap under `prefix`. */
export async function copyFixtureFiles(fixtureDir: string, prefix = ''): Promise<FileMap> {
  const root = path.resolve(fixtureDir);
  const out: FileMap = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else
        out[path.posix.join(prefix, path.relative(root, full).split(path.sep).join('/'))] = await readFile(
          full,
          'utf8',
        );
    }
  };
  await walk(root);
  return out;
}

export interface GitHttpServer {
  baseUrl: string;
  /** Smart-HTTP URL of `<name>.git` under the project root. */
  url(name: string): string;
  /** Number of requests served (handy to prove that a resolve did or did not fetch). */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Serves every bare repository under `projectRoot` over smart HTTP by running
 * `git http-backend` as a CGI script. With `username`+`password`, requests without matching
 * basic-auth credentials get 401.
 */
export async function serveGitHttp(
  projectRoot: string,
  auth?: { username: string; password: string },
): Promise<GitHttpServer> {
  const backend = path.join(await git(projectRoot, '--exec-path'), 'git-http-backend');
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    const url = new URL(req.url ?? '/', 'http://localhost');
    let remoteUser = '';
    if (auth) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
      if (given !== `${auth.username}:${auth.password}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="keelson-test"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        return;
      }
      remoteUser = auth.username;
    }
    const env: Record<string, string> = {
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: remoteUser,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: typeof req.headers['git-protocol'] === 'string' ? req.headers['git-protocol'] : '',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    const child = spawn(backend, [], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    pipeCgiResponse(child.stdout, res);
    child.stderr.resume();
    child.on('error', () => res.headersSent || res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (name) => `${baseUrl}/${name}.git`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses CGI output (headers, blank line, body) into an HTTP response. */
function pipeCgiResponse(stdout: NodeJS.ReadableStream, res: http.ServerResponse): void {
  let head = Buffer.alloc(0);
  let inBody = false;
  stdout.on('data', (chunk: Buffer) => {
    if (inBody) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const sep = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (sep < 0) return;
    const sepLength = head[sep] === 13 ? 4 : 2;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, sep).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else headers[key] = value;
    }
    res.writeHead(status, headers);
    inBody = true;
    res.write(head.subarray(sep + sepLength));
  });
  stdout.on('end', () => {
    if (!inBody) res.writeHead(502);
    res.end();
  });
}
