import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { dbErrorSummary, errorMessage } from '../../lib/domain/error-message';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * A failed Drizzle query's own message carries its parameters (a TaskRun's status, results a step read from a
 * Secret); the logs of the worker and controller say only the driver's code and message (dbErrorSummary).
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

/** A real failed query from the real driver, with a secret among its parameters. */
async function failedQuery(): Promise<unknown> {
  return t.handle.db.execute(sql`select 1 / 0 where ${'s3cr3t'}::text is not null`).then(
    () => expect.fail('the query should fail'),
    (err: unknown) => err,
  );
}

it('the driver error of a failed query is summarised without its parameters or query text', async () => {
  const err = await failedQuery();
  // What was logged before: the parameters are in the message and the stack.
  expect(errorMessage(err)).toContain('s3cr3t');
  for (const line of [dbErrorSummary(err), dbErrorSummary(err, { stack: true })]) {
    expect(line).toBe('database error 22012: division by zero');
    expect(line).not.toContain('s3cr3t');
    expect(line).not.toContain('select');
  }
  // Wrapped once more (as a caller may rethrow it), still without them.
  expect(dbErrorSummary(new Error('reconcile failed', { cause: err }))).toBe('database error 22012: division by zero');
});

it('a query error without a driver cause, and errors that are not the database’s', () => {
  const bare = Object.assign(new Error('Failed query: update x set y = $1\nparams: s3cr3t'), {
    query: 'update x set y = $1',
    params: ['s3cr3t'],
  });
  expect(dbErrorSummary(bare)).toBe('a database query failed');
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  expect(dbErrorSummary(refused)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  expect(dbErrorSummary(new RangeError('bad'), { stack: true })).toMatch(/^RangeError: bad\n\s+at /);
});
