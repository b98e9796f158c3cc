const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\d+$/;

/**
 * A low-cardinality label for request metrics: API paths keep their shape with ids replaced,
 * Next's static assets collapse to one label, and every page is labelled by its first segment.
 */
export function routeLabel(url: string): string {
  const path = url.split('?')[0] || '/';
  if (path.startsWith('/_next/')) return '/_next/*';
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === 'api') {
    return '/' + segments.slice(0, 6).map((s) => (UUID.test(s) || NUMBER.test(s) ? ':id' : s.length > 40 ? ':name' : s)).join('/');
  }
  if (path === '/metrics') return '/metrics';
  return segments.length === 0 ? '/' : `/${segments[0]}`;
}
