import { parseYamlDocuments } from '@/lib/domain/http/bounded-parse';
import { AppError } from '@/lib/errors';

/** One document from a request: YAML text is parsed (one document, aliases and nesting bounded); JSON passes. */
export function singleDocument(input: unknown, subject: string): unknown {
  if (typeof input !== 'string') return input;
  const { values, errors } = parseYamlDocuments(input);
  if (errors.length > 0)
    throw new AppError('BAD_REQUEST', `The ${subject} is not readable YAML: ${errors[0].message}.`, {
      issues: errors.map((e) => ({ path: e.path || '(body)', message: e.message })),
      hint: 'Send one YAML or JSON document.',
    });
  if (values.length !== 1)
    throw new AppError('BAD_REQUEST', `Send exactly one ${subject} document (got ${values.length}).`, {
      issues: [{ path: '(body)', message: `${values.length} documents` }],
      hint: 'Use `keelson apply -f` for a file with several documents.',
    });
  return values[0].value;
}
