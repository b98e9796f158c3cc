/**
 * Whether an answer is what the OpenAPI document says: its status is documented for the operation, and a JSON
 * body is valid against the documented schema of that status (components resolved). schemathesis checks the same
 * on random input; this checks the answers to real requests on real fixtures (the authorization matrix).
 */
import { z } from 'zod';
import { openApiDocument } from '../../../lib/schemas/openapi';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>;
  components: { schemas: Record<string, Json> };
};
type Json = Record<string, unknown> & { $ref?: string };

const doc = JSON.parse(JSON.stringify(openApiDocument())) as Doc;
const compiled = new Map<string, z.ZodType | null>();

function bodySchema(path: string, method: string, status: string): z.ZodType | null {
  const key = `${method} ${path} ${status}`;
  if (!compiled.has(key)) {
    const s = doc.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;
    const resolved = s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s;
    compiled.set(key, resolved ? z.fromJSONSchema(resolved) : null);
  }
  return compiled.get(key)!;
}

/** `GET /api/v1/tokens` answered `status` with `text`: undefined when the document describes it, else what differs. */
export function conformanceProblem(operation: string, status: number, text: string): string | undefined {
  const [method, path] = operation.split(' ');
  const responses = doc.paths[path]?.[method.toLowerCase()]?.responses;
  if (!responses) return `${operation} is not documented`;
  if (!(String(status) in responses))
    return `status ${status} is not documented (${Object.keys(responses).join(', ')})`;
  const schema = bodySchema(path, method.toLowerCase(), String(status));
  if (!schema) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${status}: the body is not JSON though the document gives a JSON schema`;
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `status ${status}: body does not match the documented schema at ${issue.path.join('.') || '(body)'}: ${issue.message}`;
}
