import { openApiDocument } from '@/lib/schemas/openapi';

export function GET() {
  return Response.json(openApiDocument());
}
