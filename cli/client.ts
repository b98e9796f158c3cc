import { z } from 'zod';
import type { Target } from './config';
import { cliUserAgent } from '../lib/domain/audit/cli-user-agent';
import { KEELSON_VERSION } from '../lib/version';

/** Sent with every request: the server's audit log records CLI calls as `via: cli`. */
export const CLI_USER_AGENT = cliUserAgent(KEELSON_VERSION);

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** What the CLI shows of an error answer; anything else in it is ignored. */
const ZErrorAnswer = z.object({
  error: z
    .object({
      message: z.string().optional(),
      hint: z.string().optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    })
    .optional(),
});

/** `fetch` fails with "fetch failed" and the reason in `cause`: show the reason. */
function unreachable(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
}

/**
 * Calls the Keelson REST API with the caller's token; turns error bodies into one readable message. Every
 * unsafe request says JSON (or YAML) even without a body, as the server's CSRF rule wants of cookie callers.
 * Answers the parsed JSON body (undefined for 204 or an empty body).
 */
async function call(
  target: Target,
  method: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${target.server}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        'user-agent': CLI_USER_AGENT,
        ...(body !== undefined || method !== 'GET' ? { 'content-type': contentType } : {}),
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' && contentType !== 'application/json'
            ? body
            : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(`Cannot reach ${target.server}: ${unreachable(err)}`);
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = ZErrorAnswer.safeParse(json).data?.error;
    const lines = [
      `${res.status}: ${e?.message ?? res.statusText}`,
      ...(e?.issues ?? []).map((i) => `  ${i.path}: ${i.message}`),
    ];
    if (e?.hint) lines.push(e.hint);
    if (res.status === 401 && !target.token) lines.push('Log in first: keelson login --server URL --token T');
    throw new CliError(lines.join('\n'));
  }
  return json;
}

/** A call whose answer the CLI reads: the answer is checked with `schema` (lib/schemas, cli/responses.ts). */
export async function request<T>(
  target: Target,
  method: string,
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
  contentType?: string,
): Promise<T> {
  const answer = await call(target, method, path, body, contentType);
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new CliError(`Unexpected answer to ${method} ${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A call whose answer the CLI does not read (delete, cancel, refresh…). */
export async function send(target: Target, method: string, path: string, body?: unknown): Promise<void> {
  await call(target, method, path, body);
}
