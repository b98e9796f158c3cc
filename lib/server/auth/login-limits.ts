import { env } from '@/lib/env';
import type { LoginLimits } from './count-login-attempt';

export function loginLimits(): LoginLimits {
  const e = env();
  return { perIp: e.KEELSON_LOGIN_IP_RATE_LIMIT, perUser: e.KEELSON_LOGIN_RATE_LIMIT };
}
