import { dbPool, queue } from '@/lib/server/context';
import { checkReadiness } from '@/lib/server/system/check-readiness';

export const dynamic = 'force-dynamic';

/** Readiness: the database and the job queue answer. */
export async function GET() {
  const readiness = await checkReadiness(dbPool(), queue);
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
}
