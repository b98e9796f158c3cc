import type { Contract } from '@/lib/schemas/contract';

/**
 * A handler that does not go through route() (the probes, signed webhooks reading their raw body) still carries
 * the contract it is documented by, for the drift test (tests/integration/openapi-coverage.test.ts).
 */
export function withContract<F extends object>(contract: Contract, handler: F): F & { contract: Contract } {
  return Object.assign(handler, { contract });
}
