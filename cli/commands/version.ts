import type { Command } from 'commander';
import { KEELSON_VERSION } from '../../lib/version';
import { request } from '../client';
import { resolveTarget } from '../config';
import { print, type OutputFormat } from '../output';

export function registerVersion(program: Command, globals: () => { server?: string; token?: string; output: OutputFormat }): void {
  program
    .command('version')
    .description('Print the client and server versions')
    .option('--client', 'only the client version')
    .action(async (flags: { client?: boolean }) => {
      const g = globals();
      const client = { version: KEELSON_VERSION };
      let server: { version: string } | { error: string } | undefined;
      if (!flags.client) {
        server = await resolveAndFetch(g).catch((err: Error) => ({ error: err.message }));
      }
      print(g.output, { client, server }, () => {
        const lines = [`Client: keelson v${client.version}`];
        if (server) lines.push('error' in server ? `Server: unavailable (${server.error})` : `Server: keelson v${server.version}`);
        return lines.join('\n');
      });
      if (server && 'error' in server) process.exitCode = 1;
    });
}

async function resolveAndFetch(g: { server?: string; token?: string }) {
  return request<{ version: string }>(resolveTarget(g), 'GET', '/api/v1/version');
}
