import type { TEnv } from '@/lib/env';
import type { LoginLimits } from './count-login-attempt';

/** The login limits the configuration sets (KEELSON_LOGIN_IP_RATE_LIMIT, KEELSON_LOGIN_RATE_LIMIT). */
export function loginLimits(e: Pick<TEnv, 'KEELSON_LOGIN_IP_RATE_LIMIT' | 'KEELSON_LOGIN_RATE_LIMIT'>): LoginLimits {
  return { perIp: e.KEELSON_LOGIN_IP_RATE_LIMIT, perUser: e.KEELSON_LOGIN_RATE_LIMIT };
}
