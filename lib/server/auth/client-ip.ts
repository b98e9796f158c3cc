/**
 * Keelson's own HTTP server (server.ts) overwrites this header with the socket's address, so clients
 * cannot choose the IP their login attempts are counted against.
 */
export const CLIENT_IP_HEADER = 'x-keelson-client-ip';

export function clientIp(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}
