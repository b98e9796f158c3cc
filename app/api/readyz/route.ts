import { systemContracts } from '@/lib/schemas/contracts/system';
import { dbPool, queue, supervisorState } from '@/lib/server/context';
import { checkReadiness } from '@/lib/server/system/check-readiness';
import { withContract } from '../_lib/with-contract';

export const dynamic = 'force-dynamic';

/** Readiness: the database and the job queue answer; the supervisor's children as it last said. */
export async function GET() {
  const readiness = await checkReadiness(dbPool(), queue, console.error, supervisorState);
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
}
withContract(systemContracts['/api/readyz'].get, GET);
