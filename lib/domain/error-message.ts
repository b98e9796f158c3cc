/** The message of a caught value: an Error's own message, anything else as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Drizzle's `Failed query: <sql> params: <values>` error (DrizzleQueryError), told apart by its own fields. */
const isQueryError = (e: unknown): boolean => e instanceof Error && ('params' in e || 'query' in e);

/**
 * What a log may say about an error that may come from the database: the driver's SQLSTATE code and message, found by
 * walking `cause` past Drizzle's wrapper, never the query text or its parameters (a TaskRun's status, with results a
 * step read from a Secret). Any other error is its message, or with `stack` its stack.
 */
export function dbErrorSummary(err: unknown, options: { stack?: boolean } = {}): string {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && chain.length < 8 && !chain.includes(e);) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  const lastQuery = chain.findLastIndex(isQueryError);
  if (lastQuery < 0) return options.stack && err instanceof Error ? (err.stack ?? err.message) : errorMessage(err);
  const driver = chain[lastQuery + 1];
  if (driver === undefined) return 'a database query failed';
  const code = (driver as { code?: unknown }).code;
  return `database error${typeof code === 'string' ? ` ${code}` : ''}: ${errorMessage(driver)}`;
}
