import { cookies, headers } from 'next/headers';

/**
 * First-page data for server components, read through our own REST API with the viewer's cookies,
 * so the page sees exactly what the client hooks will poll. Any failure gives null and the client
 * query takes over.
 */
export async function serverApi<T>(path: string): Promise<T | null> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host');
  if (!host) return null;
  const proto = h.get('x-forwarded-proto') ?? 'http';
  try {
    const res = await fetch(`${proto}://${host}${path}`, { headers: { cookie: (await cookies()).toString(), accept: 'application/json' }, cache: 'no-store' });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
