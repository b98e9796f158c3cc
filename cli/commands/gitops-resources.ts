import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, request, send } from '../client';
import { resolveTarget } from '../config';
import { formatTable, print, type OutputFormat } from '../output';
import { ZClusterAnswer, ZClusterList, ZRepositoryAnswer, ZRepositoryList } from '../responses';
import { errorMessage } from '../../lib/domain/error-message';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${what} ${file}: ${errorMessage(err)}`, 2);
  }
}

/** `keelson repo add|list|rm`, as `argocd repo`. */
export function registerRepo(program: Command, globals: Globals): void {
  const repo = program.command('repo').description('Git repositories Applications follow');
  const target = () => resolveTarget(globals());
  repo
    .command('add <url>')
    .description('Add a repository (its HEAD must be readable with the credentials)')
    .option('--username <name>', 'HTTPS username')
    .option('--password <token>', 'HTTPS password or access token')
    .option('--ssh-private-key-path <file>', 'SSH private key file')
    .action(async (url: string, f: { username?: string; password?: string; sshPrivateKeyPath?: string }) => {
      const sshPrivateKey = f.sshPrivateKeyPath ? readFile(f.sshPrivateKeyPath, 'SSH key') : undefined;
      const row = await request(target(), 'POST', '/api/v1/repositories', ZRepositoryAnswer, {
        url,
        username: f.username,
        password: f.password,
        sshPrivateKey,
      });
      console.log(`repository ${row.url} added`);
    });
  repo
    .command('list')
    .description('List repositories')
    .action(async () => {
      const { items } = await request(target(), 'GET', '/api/v1/repositories', ZRepositoryList);
      print(globals().output, items, () =>
        formatTable(
          ['URL', 'CREDENTIALS'],
          items.map((r) => [r.url, r.hasCredentials ? 'yes' : 'no']),
        ),
      );
    });
  repo
    .command('rm <url>')
    .description('Remove a repository')
    .action(async (url: string) => {
      await send(target(), 'DELETE', `/api/v1/repositories?url=${encodeURIComponent(url)}`);
      console.log(`repository ${url} removed`);
    });
}

/** `keelson cluster add NAME --kubeconfig PATH [--context C]|list|rm`. */
export function registerCluster(program: Command, globals: Globals): void {
  const cluster = program.command('cluster').description('Kubernetes clusters Applications deploy to');
  const target = () => resolveTarget(globals());
  cluster
    .command('add <name>')
    .description('Register a cluster (its API server must answer with these credentials)')
    .requiredOption('--kubeconfig <file>', 'kubeconfig file')
    .option('--context <name>', 'context in the kubeconfig (default: its current context)')
    .action(async (name: string, f: { kubeconfig: string; context?: string }) => {
      const row = await request(target(), 'POST', '/api/v1/clusters', ZClusterAnswer, {
        name,
        kubeconfig: readFile(f.kubeconfig, 'kubeconfig'),
        context: f.context,
      });
      console.log(`cluster/${row.name} added (${row.server}, Kubernetes ${row.serverVersion})`);
    });
  cluster
    .command('list')
    .description('List clusters')
    .action(async () => {
      const { items } = await request(target(), 'GET', '/api/v1/clusters', ZClusterList);
      print(globals().output, items, () =>
        formatTable(
          ['NAME', 'SERVER', 'VERSION'],
          items.map((c) => [c.name, c.server ?? '', c.serverVersion ?? '?']),
        ),
      );
    });
  cluster
    .command('rm <name>')
    .description('Remove a cluster')
    .action(async (name: string) => {
      await send(target(), 'DELETE', `/api/v1/clusters/${encodeURIComponent(name)}`);
      console.log(`cluster/${name} removed`);
    });
}
