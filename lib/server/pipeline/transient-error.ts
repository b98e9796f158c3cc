/**
 * Whether an error thrown while reconciling a run may go away by itself, so the reconcile is worth trying again (at
 * the next tick): the database or the connection to it was briefly unavailable. Every other error is taken as
 * permanent, and ends the run (end-run-on-error.ts).
 *
 * The list names the transient errors, not the permanent ones, on purpose: what a reconcile computes is a function
 * of the run's stored rows, so any other error (a substitution over the cap, a stored spec that no longer parses, a
 * RangeError, a bug) comes back at every try, and a permanent error that nobody thought to mark would leave a run
 * stuck forever. Taking an unlisted transient error for a permanent one fails one run with its message (it can be
 * started again); the opposite mistake holds a run, and its concurrency slot, until someone cancels it.
 */
export function isTransientError(err: unknown): boolean {
  // Drizzle wraps the driver's error in its own (`Failed query: …`), the driver's error is its `cause`.
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (isTransientSqlState(code) || TRANSIENT_SYSTEM_CODES.has(code))) return true;
    // A Unix socket whose server is not listening (npm start's Postgres restarting) is missing, not refused.
    if (code === 'ENOENT' && (e as { syscall?: unknown }).syscall === 'connect') return true;
    if (CONNECTION_MESSAGES.some((m) => m.test(e.message))) return true;
  }
  return false;
}

/**
 * PostgreSQL's SQLSTATE classes and codes of conditions that pass: connection exceptions (08), serialization failures
 * and deadlocks (40), insufficient resources (53), a lock not available (55P03) or an object in use (55006), a query
 * cancelled by a statement or lock timeout, or a server shutting down or starting (57), the server's I/O errors (58),
 * and the RACES below.
 */
function isTransientSqlState(code: string): boolean {
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return ['08', '40', '53', '57', '58'].includes(code.slice(0, 2)) || RACES.has(code);
}

/**
 * A lock not available, an object in use, and a unique violation: a reconcile checks a name is free before it
 * creates a row of that name (free-child-run-name.ts, free-task-run-names.ts), so a unique violation is another
 * transaction taking it in between, and the next try picks another.
 */
const RACES = new Set(['55P03', '55006', '23505']);

/** Node's errors of a socket or of the host's resources (node-postgres passes them through). */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EAGAIN',
  'EBUSY',
  'EMFILE',
  'ENFILE',
  'ENOMEM',
  'ENOSPC',
  'EIO',
]);

/** node-postgres and its pool report a lost or unavailable connection with plain errors, without a code. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^Query read timeout/,
];
