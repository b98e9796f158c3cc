import { describe, expect, it } from 'vitest';
import { secretValues, ZSecret } from './spec-schemas';

const secret = (fields: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's' },
  ...fields,
});

describe('Secret documents as the API server reads them', () => {
  it('stringData alone gives the values as written', () => {
    const parsed = ZSecret.parse(secret({ stringData: { token: 's3cr3t', pem: '-----BEGIN-----\nabc\n' } }));
    expect(secretValues(parsed)).toEqual({ token: 's3cr3t', pem: '-----BEGIN-----\nabc\n' });
  });

  it('data is base64; line breaks inside it are ignored, as Go decodes it (base64 wraps at 76 columns)', () => {
    const wrapped = 'aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgdmFsdWUgdGhhdCB3cmFwcyBhdCBzZXZlbnR5IHNp\neCBjaGFyYWN0ZXJz\n';
    const parsed = ZSecret.parse(secret({ data: { cert: wrapped, crlf: 'aGk=\r\n' } }));
    expect(secretValues(parsed)).toEqual({
      cert: 'hello world this is a long value that wraps at seventy six characters',
      crlf: 'hi',
    });
  });

  it('stringData wins over data for the same key', () => {
    const parsed = ZSecret.parse(
      secret({ data: { a: 'ZnJvbS1kYXRh', b: 'Yg==' }, stringData: { a: 'from-string-data' } }),
    );
    expect(secretValues(parsed)).toEqual({ a: 'from-string-data', b: 'b' });
  });

  it.each([['not base64!'], ['a b'], ['YQ==YQ==']])('refuses data that is not base64: %j', (value) => {
    expect(ZSecret.safeParse(secret({ data: { k: value } })).success).toBe(false);
  });
});
