import { systemContracts } from '@/lib/schemas/contracts/system';
import { KEELSON_VERSION } from '@/lib/version';
import { route } from '../../_lib/handler';

/** Needs a login or a token: the exact version tells an anonymous caller which advisories apply. */
export const GET = route({ contract: systemContracts['/api/v1/version'].get }, async () => ({
  version: KEELSON_VERSION,
  node: process.version,
}));
