import type { NextRequest } from 'next/server';
import { jsonOrBadRequest } from '../../../_lib/read-json-body';
import { readTextBody } from '../../../_lib/read-text-body';

const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** A body that is one YAML document (Content-Type: application/yaml, kept as text for the service) or JSON. */
export async function documentBody(req: NextRequest): Promise<unknown> {
  const text = await readTextBody(req, MAX_DOCUMENT_BYTES);
  if ((req.headers.get('content-type') ?? '').includes('yaml')) return text;
  return jsonOrBadRequest(
    text === '' ? 'null' : text,
    'Send the document as JSON (Content-Type: application/json) or YAML (Content-Type: application/yaml).',
  );
}
