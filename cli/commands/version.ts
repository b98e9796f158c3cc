import type { Command } from 'commander';
import { KEELSON_VERSION } from '../../lib/version';
import { request } from '../client';
import { ZVersionAnswer } from '../responses';
import { resolveTarget } from '../config';
import { print, type OutputFormat } from '../output';

export function registerVersion(
  program: Command,
  globals: () => { server?: string; token?: string; output: OutputFormat },
): void {
  program
    .command('version')
    .description('Print the client and server versions')
    .option('--client', 'only the client version')
    .action(async (flags: { client?: boolean }) => {
      const g = globals();
      const client = { version: KEELSON_VERSION };
      let server: { version: string } | { error: string } | { loginRequired: string } | undefined;
      if (!flags.client) {
        server = await resolveAndFetch(g).catch((err: Error) => ({ error: err.message }));
      }
      print(g.output, { client, server }, () => {
        const lines = [`Client: keelson v${client.version}`];
        if (server)
          lines.push(
            'error' in server
              ? `Server: unavailable (${server.error})`
              : 'loginRequired' in server
                ? `Server: ${server.loginRequired}`
                : `Server: keelson v${server.version}`,
          );
        return lines.join('\n');
      });
      if (server && 'error' in server) process.exitCode = 1;
    });
}

/** The server shows its version only to a login: without a token, say so instead of failing. */
async function resolveAndFetch(g: {
  server?: string;
  token?: string;
}): Promise<{ version: string } | { loginRequired: string }> {
  const target = resolveTarget(g);
  if (!target.token)
    return {
      loginRequired: `log in to see the version of ${target.server} (keelson login --server ${target.server} --token T)`,
    };
  return request(target, 'GET', '/api/v1/version', ZVersionAnswer);
}
