import { Command, CommanderError } from 'commander';
import { KEELSON_VERSION } from '../lib/version';
import { CliError, request } from './client';
import { registerAccount, ZMeAnswer } from './commands/account';
import { registerAdminRbac } from './commands/admin-rbac';
import { registerApp } from './commands/app';
import { registerApply } from './commands/apply';
import { registerAudit } from './commands/audit';
import { registerCluster, registerRepo } from './commands/gitops-resources';
import { registerLogin } from './commands/login';
import { registerPipeline } from './commands/pipeline';
import { registerPipelineStart } from './commands/pipeline-start';
import { registerPipelineRun } from './commands/pipelinerun';
import { registerProj } from './commands/proj';
import { registerSettings } from './commands/settings-pipelines';
import { registerTaskRun } from './commands/taskrun';
import { registerToken } from './commands/token';
import { registerVersion } from './commands/version';
import { resolveTarget } from './config';
import { parseOutput, print } from './output';
import { errorMessage } from '../lib/domain/error-message';

const program = new Command('keelson')
  .description('Keelson: pipelines and GitOps delivery from the command line')
  .version(KEELSON_VERSION, '--client-version', 'print the client version')
  .option('--server <url>', 'server URL (overrides KEELSON_SERVER and the config file)')
  .option('--token <token>', 'API token (overrides KEELSON_TOKEN and the config file)')
  .option('-o, --output <format>', 'output format: table, wide or json')
  .showHelpAfterError()
  .exitOverride();

const globals = () => {
  const o = program.opts<{ server?: string; token?: string; output?: string }>();
  return { server: o.server, token: o.token, output: parseOutput(o.output) };
};

registerLogin(program);
registerVersion(program, globals);
registerToken(program, globals);
registerAccount(program, globals);
registerApply(program, globals);
registerPipelineStart(registerPipeline(program, globals), globals);
registerPipelineRun(program, globals);
registerTaskRun(program, globals);
registerRepo(program, globals);
registerCluster(program, globals);
registerApp(program, globals, () => program.opts<{ output?: string }>().output);
registerAudit(program, globals, () => program.opts<{ output?: string }>().output);
registerProj(program);
registerAdminRbac(program);
registerSettings(program, globals);

program
  .command('whoami')
  .description('Show the user the current credentials belong to')
  .action(async () => {
    const me = await request(resolveTarget(globals()), 'GET', '/api/v1/me', ZMeAnswer);
    print(
      globals().output,
      me,
      () =>
        `${me.username}${me.name ? ` (${me.name})` : ''}, roles ${me.roles.join(', ') || '-'}${me.groups.length ? `, groups ${me.groups.join(', ')}` : ''}`,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    console.error(`error: ${errorMessage(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
