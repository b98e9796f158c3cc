import { deps } from '@/lib/server/context';
import { whoAmI } from '@/lib/server/auth/who-am-i';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => whoAmI(deps(), principal));
