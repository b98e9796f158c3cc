import { systemContracts } from '@/lib/schemas/contracts/system';
import { deps } from '@/lib/server/context';
import { whoAmI } from '@/lib/server/auth/who-am-i';
import { route } from '../../_lib/handler';

export const GET = route({ contract: systemContracts['/api/v1/me'].get }, async ({ principal }) =>
  whoAmI(deps(), principal),
);
