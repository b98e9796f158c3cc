import { openApiDocument } from '@/lib/schemas/openapi';
import { systemContracts } from '@/lib/schemas/contracts/system';
import { route } from '../../_lib/handler';

/** The API's shape is for its users: like the rest of /api/v1, it needs a login or a token. */
export const GET = route({ contract: systemContracts['/api/v1/openapi.json'].get }, async () => openApiDocument());
