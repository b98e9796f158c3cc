import { KEELSON_VERSION } from '@/lib/version';

export function GET() {
  return Response.json({ version: KEELSON_VERSION, node: process.version });
}
