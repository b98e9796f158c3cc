import type { Command } from 'commander';
import { CliError, request } from '../client';
import { configPath, writeConfig } from '../config';
import { cliEnv } from '../env';
import { promptHidden } from '../prompt';
import { ZMeAnswer, ZSessionTokenAnswer } from '../responses';

interface LoginFlags {
  server?: string;
  token?: string;
  username?: string;
  password?: string;
  name?: string;
}

async function passwordFor(flags: LoginFlags): Promise<string> {
  if (flags.password !== undefined) return flags.password;
  if (!process.stdin.isTTY) throw new CliError('--password is required when stdin is not a terminal.', 2);
  return promptHidden('Password: ');
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Store a server and API token in the CLI config (mode 0600)')
    .option('--server <url>', 'Keelson server URL (or KEELSON_SERVER)')
    .option('--token <token>', 'an API token from Settings → API tokens')
    .option('--username <name>', 'a local user: exchange the password for a new API token')
    .option('--password <password>', 'the password (prompted for when omitted on a terminal)')
    .option('--name <name>', 'name for the token created by --username', 'keelson CLI')
    .action(async (_opts: LoginFlags, command: Command) => {
      // --server and --token are also global flags; commander may hand them to the program instead.
      const flags = command.optsWithGlobals<LoginFlags>();
      const env = cliEnv();
      const server = (flags.server ?? env.KEELSON_SERVER)?.replace(/\/$/, '');
      if (!server) throw new CliError('--server is required (or set KEELSON_SERVER).', 2);
      let token = flags.token ?? (flags.username ? undefined : env.KEELSON_TOKEN);
      if (!token && flags.username) {
        const password = await passwordFor(flags);
        const created = await request({ server }, 'POST', '/api/v1/session/token', ZSessionTokenAnswer, {
          username: flags.username,
          password,
          tokenName: flags.name,
        });
        token = created.token;
      }
      if (!token) throw new CliError('Give --token, or --username (and --password) to log in.', 2);
      // Check the token before saving it, so a typo never ends up in the config.
      const me = await request({ server, token }, 'GET', '/api/v1/me', ZMeAnswer);
      writeConfig({ server, token, username: me.username });
      console.log(`Logged in to ${server} as ${me.username}. Credentials saved in ${configPath()}.`);
    });
}
