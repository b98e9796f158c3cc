import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { cliEnv, type TCliEnv } from './env';

const ZConfig = z.object({ server: z.string().url(), token: z.string().min(1), username: z.string().optional() });
export type CliConfig = z.infer<typeof ZConfig>;

export function configPath(env: TCliEnv = cliEnv()): string {
  return env.KEELSON_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.config', 'keelson', 'config.json');
}

export function readConfig(file = configPath()): CliConfig | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = ZConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid keelson config; run \`keelson login\` again.`);
  return parsed.data;
}

/** Credentials are secrets: the file is created with mode 0600, and its folder with 0700. */
export function writeConfig(config: CliConfig, file = configPath()): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface Target {
  server: string;
  token?: string;
}

/** Flags beat environment variables, which beat the config file. */
export function resolveTarget(flags: { server?: string; token?: string }, env: TCliEnv = cliEnv()): Target {
  const saved = readConfig(configPath(env));
  const server = flags.server ?? env.KEELSON_SERVER ?? saved?.server;
  if (!server)
    throw new Error('No server. Run `keelson login --server URL ...`, or pass --server / set KEELSON_SERVER.');
  return { server: server.replace(/\/$/, ''), token: flags.token ?? env.KEELSON_TOKEN ?? saved?.token };
}
