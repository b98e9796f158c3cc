import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { SubstitutionTooLong } from '@/lib/domain/pipeline/substitute';
import { isTransientError } from './transient-error';

const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each([
    ['serialization failure', coded('40001')],
    ['deadlock', coded('40P01')],
    ['connection failure', coded('08006')],
    ['statement or lock timeout', coded('57014')],
    ['server shutting down', coded('57P01')],
    ['too many connections', coded('53300')],
    ['lock not available', coded('55P03')],
    ['a name taken by a concurrent transaction', coded('23505')],
    ['socket reset', coded('ECONNRESET')],
    ['connection refused', coded('ECONNREFUSED')],
    ['a Unix socket not there (Postgres restarting)', Object.assign(coded('ENOENT'), { syscall: 'connect' })],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['connection lost', new Error('Connection terminated unexpectedly')],
    ['wrapped by drizzle', new Error('Failed query: select 1', { cause: coded('40001') })],
  ])('retries %s', (_, err) => expect(isTransientError(err)).toBe(true));

  it.each([
    ['a substitution over the cap', new SubstitutionTooLong('when input', 9_000_000)],
    ['a stored spec that does not parse', new ZodError([])],
    ['a value too long', coded('22001')],
    ['a foreign key violation', coded('23503')],
    ['a program limit', coded('54000')],
    ['a RangeError', new RangeError('Invalid string length')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'name')")],
    ['a thrown string', 'boom'],
    ['a missing file', Object.assign(coded('ENOENT'), { syscall: 'open' })],
    ['a query failing for its own sake, wrapped', new Error('Failed query: …', { cause: coded('22P02') })],
  ])('ends the run on %s', (_, err) => expect(isTransientError(err)).toBe(false));
});
