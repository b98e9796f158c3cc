import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppError } from '@/lib/errors';

/**
 * One auth request's verdict from inside next-auth: a login refused in `authorize()` (rate limit) is
 * answered as that error (a real 429 with Retry-After) instead of next-auth's generic redirect.
 */
interface LoginScope {
  refused?: AppError;
}
const store = new AsyncLocalStorage<LoginScope>();

/** Called from `authorize()`. */
export function refuseLogin(err: AppError): void {
  const scope = store.getStore();
  if (scope) scope.refused = err;
}

/** Runs next-auth, then throws the refusal `authorize()` recorded, if any. */
export async function withLoginScope<T>(fn: () => Promise<T>): Promise<T> {
  const scope: LoginScope = {};
  const result = await store.run(scope, fn);
  if (scope.refused) throw scope.refused;
  return result;
}
