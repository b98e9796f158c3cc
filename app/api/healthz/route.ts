import { systemContracts } from '@/lib/schemas/contracts/system';
import { withContract } from '../_lib/with-contract';

/** Liveness: the process is up and serving. */
export const GET = withContract(systemContracts['/api/healthz'].get, () => Response.json({ status: 'ok' }));
