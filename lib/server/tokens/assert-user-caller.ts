import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';

/**
 * A user's own API tokens are managed by that user (a session or one of their tokens). A project token or a
 * trigger acts as a project role: it must not mint, list or revoke the tokens of the user who issued it.
 */
export function assertUserCaller(principal: Principal): void {
  if (principal.via === 'session' || principal.via === 'token') return;
  // Argo CD asks `accounts, update, <account>` of whoever manages an account's tokens; a role is no account.
  throw new AppError('FORBIDDEN', 'Only a user can manage API tokens; this caller acts as a project role.', {
    denied: { resource: 'accounts', action: 'update', object: principal.username },
    hint: 'Log in as a user (keelson login) to manage API tokens.',
  });
}
