import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Principal } from '../principal';
import { principalFromCookies } from './current-principal';

/**
 * The first line of every dashboard page's data loader and of every server action. A layout is not a
 * guard: Next.js renders a page's segment without its layout for client navigations (RSC requests), so
 * each loader checks the session itself. Deduplicated per render, so the layout and the page share one
 * session lookup. Without a valid session: a redirect to the login page, before any data is read.
 */
export const requirePrincipal = cache(async (): Promise<Principal> => {
  const principal = await principalFromCookies(await cookies());
  if (!principal) redirect('/login');
  return { ...principal, client: 'ui' };
});
