import type { Target } from './config';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { message?: string; hint?: string; issues?: { path: string; message: string }[] };
}

/**
 * Calls the Keelson REST API with the caller's token; turns error bodies into one readable message. Every
 * unsafe request says JSON (or YAML) even without a body, as the server's CSRF rule wants of cookie callers.
 */
export async function request<T>(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  let res: Response;
  const raw = typeof body === 'string' && contentType !== 'application/json';
  try {
    res = await fetch(`${target.server}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined || method !== 'GET' ? { 'content-type': contentType } : {}),
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
      body: body === undefined ? undefined : raw ? (body as string) : JSON.stringify(body),
    });
  } catch (err) {
    throw new CliError(
      `Cannot reach ${target.server}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (json as ErrorBody | undefined)?.error;
    const lines = [
      `${res.status}: ${e?.message ?? res.statusText}`,
      ...(e?.issues ?? []).map((i) => `  ${i.path}: ${i.message}`),
    ];
    if (e?.hint) lines.push(e.hint);
    if (res.status === 401 && !target.token) lines.push('Log in first: keelson login --server URL --token T');
    throw new CliError(lines.join('\n'));
  }
  return json as T;
}
