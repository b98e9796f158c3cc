import { AppError } from '@/lib/errors';

/** The row a lookup by name found, or NOT_FOUND with the message and the hint of where to look. */
export function foundOrNotFound<T>(row: T | undefined, message: string, hint: string): T {
  if (row === undefined) throw new AppError('NOT_FOUND', message, { hint });
  return row;
}
