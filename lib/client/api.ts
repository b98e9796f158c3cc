import type { z } from 'zod';

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

type ErrorBody = { error?: { message?: string; issues?: ApiIssue[]; hint?: string } } | null;

/** Browser-side call to our own API (cookie auth), validating the answer with its schema. */
export async function api<T>(path: string, schema: z.ZodType<T> | null, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorBody;
    throw new ApiError(
      res.status,
      body?.error?.message ?? `Request failed with status ${res.status}`,
      body?.error?.issues ?? [],
      body?.error?.hint,
    );
  }
  if (res.status === 204 || !schema) return undefined as T;
  return schema.parse(await res.json());
}
