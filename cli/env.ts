import { z } from 'zod';

/**
 * The CLI's settings from its environment: the one place the `keelson` command reads process.env
 * (it is a program of its own; the server's settings are in lib/env.ts). Flags beat these, which beat
 * the config file.
 */
export const ZCliEnv = z.object({
  /** The server URL when --server is not given. */
  KEELSON_SERVER: z.string().optional(),
  /** The API token when --token is not given. */
  KEELSON_TOKEN: z.string().optional(),
  /** The config file (default ~/.config/keelson/config.json). */
  KEELSON_CONFIG: z.string().optional(),
  HOME: z.string().optional(),
});
export type TCliEnv = z.infer<typeof ZCliEnv>;

export function cliEnv(source: Record<string, string | undefined> = process.env): TCliEnv {
  return ZCliEnv.parse(source);
}
