import { expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { foundOrNotFound } from './found-or-not-found';

it('returns what was found, falsy values included', () => {
  expect(foundOrNotFound({ id: 'a' }, 'gone', 'look elsewhere')).toEqual({ id: 'a' });
  expect(foundOrNotFound(0, 'gone', 'look elsewhere')).toBe(0);
});

it('throws NOT_FOUND with the message and the hint when nothing was found', () => {
  const err = (() => {
    try {
      foundOrNotFound(undefined, 'No TaskRun named "x".', 'List TaskRuns.');
    } catch (e) {
      return e;
    }
  })();
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({
    code: 'NOT_FOUND',
    message: 'No TaskRun named "x".',
    details: { hint: 'List TaskRuns.' },
  });
});
