import type { Command } from 'commander';
import { request, send } from '../client';
import { resolveTarget, type Target } from '../config';
import { formatTable, print, type OutputFormat } from '../output';
import { ZCreatedTokenAnswer, ZTokenList } from '../responses';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

export function registerToken(program: Command, globals: Globals): void {
  const token = program.command('token').description('Manage your API tokens');
  const target = (): Target => resolveTarget(globals());

  token
    .command('list')
    .description('List your API tokens')
    .action(async () => {
      const { items } = await request(target(), 'GET', '/api/v1/tokens', ZTokenList);
      print(globals().output, items, () =>
        formatTable(
          ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'EXPIRES'],
          items.map((t) => [t.id, t.name, t.prefix, t.createdAt, t.lastUsedAt ?? '-', t.expiresAt ?? 'never']),
        ),
      );
    });

  token
    .command('create <name>')
    .description('Create an API token; it is printed once')
    .option('--expires-in-days <n>', 'days until it expires', (v) => Number(v))
    .action(async (name: string, flags: { expiresInDays?: number }) => {
      const created = await request(target(), 'POST', '/api/v1/tokens', ZCreatedTokenAnswer, {
        name,
        expiresInDays: flags.expiresInDays,
      });
      print(
        globals().output,
        created,
        () => `token/${created.id} created. Copy it now, it is not shown again:\n${created.token}`,
      );
    });

  token
    .command('revoke <id>')
    .description('Revoke an API token')
    .action(async (id: string) => {
      await send(target(), 'DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
      console.log(`token/${id} revoked`);
    });
}
