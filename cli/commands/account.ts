import type { Command } from 'commander';
import { ZAccount, ZAccountList, ZMe } from '../../lib/schemas/accounts';
import { CliError, request, send } from '../client';
import { resolveTarget, type Target } from '../config';
import { formatTable, print, type OutputFormat } from '../output';
import { confirm } from '../prompt';
import { conforming } from '../responses';
import { registerAccountCanI } from './account-can-i';
import { promptCurrentPassword, promptNewPassword, stdinLine } from './account-passwords';
import { age } from './format-time';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

const ZAccountAnswer = conforming(ZAccount);
const ZAccountListAnswer = conforming(ZAccountList);
/** GET /api/v1/me as `whoami` and `account update-password` read it. */
export const ZMeAnswer = conforming(ZMe.pick({ username: true, name: true, groups: true, roles: true }));

const accountPath = (name: string, rest = '') => `/api/v1/accounts/${encodeURIComponent(name)}${rest}`;
const list = (items: string[]) => (items.length > 0 ? items.join(',') : '-');

interface PasswordFlags {
  account?: string;
  currentPasswordStdin?: boolean;
  newPasswordStdin?: boolean;
}

/** `account update-password`: your own needs the current password; another account's only the new one. */
async function updatePassword(target: Target, flags: PasswordFlags): Promise<string> {
  const me = await request(target, 'GET', '/api/v1/me', ZMeAnswer);
  const name = flags.account ?? me.username;
  const self = name === me.username;
  let line = 0;
  const currentPassword = !self
    ? undefined
    : flags.currentPasswordStdin
      ? await stdinLine(line++, 'current password')
      : await promptCurrentPassword('--current-password-stdin');
  const newPassword = flags.newPasswordStdin
    ? await stdinLine(line, 'new password')
    : await promptNewPassword('--new-password-stdin');
  await send(target, 'PUT', accountPath(name, '/password'), { currentPassword, newPassword });
  return name;
}

/** `keelson account …`, after `argocd account …`: local accounts and what the caller may do. */
export function registerAccount(program: Command, globals: Globals): void {
  const account = program.command('account').description('Local accounts, and what you may do (can-i)');
  const target = (): Target => resolveTarget(globals());

  account
    .command('list')
    .description('List the accounts you may see, with the roles argocd-rbac-cm g lines give them')
    .action(async () => {
      const answer = await request(target(), 'GET', '/api/v1/accounts', ZAccountListAnswer);
      print(
        globals().output,
        answer,
        () =>
          formatTable(
            ['NAME', 'SOURCE', 'GROUPS', 'ROLES', 'TOKENS', 'LAST LOGIN', 'DISABLED'],
            answer.items.map((a) => [
              a.name,
              a.source,
              list(a.groups),
              list(a.roles),
              String(a.tokenCount),
              a.lastLoginAt ? age(a.lastLoginAt) : 'never',
              a.disabled ? 'true' : 'false',
            ]),
          ) + (answer.defaultRole ? `\n\nEveryone also has policy.default: ${answer.defaultRole}` : ''),
      );
    });

  account
    .command('get <name>')
    .description('Show one account')
    .action(async (name: string) => {
      const a = await request(target(), 'GET', accountPath(name), ZAccountAnswer);
      print(globals().output, a, () =>
        formatTable(
          ['FIELD', 'VALUE'],
          [
            ['Name', a.name],
            ['Display name', a.displayName ?? '-'],
            ['Source', a.source],
            ['Groups', list(a.groups)],
            ['Roles', list(a.roles)],
            ['Tokens', String(a.tokenCount)],
            ['Created', a.createdAt],
            ['Last login', a.lastLoginAt ?? 'never'],
            ['Disabled', String(a.disabled)],
          ],
        ),
      );
    });

  account
    .command('create <name>')
    .description('Create a local account; give it roles with `g, <name>, <role>` lines in argocd-rbac-cm')
    .option('--password-stdin', 'read the password from the first line of stdin (else prompted for)')
    .option('--display-name <text>', 'a display name')
    .action(async (name: string, f: { passwordStdin?: boolean; displayName?: string }) => {
      const password = f.passwordStdin ? await stdinLine(0, 'password') : await promptNewPassword('--password-stdin');
      const created = await request(target(), 'POST', '/api/v1/accounts', ZAccountAnswer, {
        name,
        password,
        displayName: f.displayName,
      });
      print(globals().output, created, () => `account/${created.name} created`);
    });

  account
    .command('update-password')
    .description("Change your password (with your current one), or another account's with --account")
    .option('--account <name>', 'the account (default: yours)')
    .option('--current-password-stdin', 'read your current password from the first line of stdin')
    .option('--new-password-stdin', 'read the new password from the next line of stdin')
    .action(async (f: PasswordFlags) => {
      const name = await updatePassword(target(), f);
      console.log(`Password updated for account/${name}`);
    });

  account
    .command('delete <name>')
    .description('Delete an account: its sessions end and its API tokens stop working')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, f: { yes?: boolean }) => {
      if (!f.yes) {
        if (!process.stdin.isTTY) throw new CliError('refusing to delete without confirmation: pass --yes', 2);
        if (!(await confirm(`Delete account '${name}'? Its sessions end and its API tokens stop working.`))) return;
      }
      await send(target(), 'DELETE', accountPath(name));
      console.log(`account/${name} deleted`);
    });

  registerAccountCanI(account, target);
}
