import { expect, it } from 'vitest';
import { errorMessage } from './error-message';

it.each([
  [new Error('boom'), 'boom'],
  [new SyntaxError('Unexpected token'), 'Unexpected token'],
  ['plain text', 'plain text'],
  [42, '42'],
  [undefined, 'undefined'],
])('reads the message of %s', (err, message) => {
  expect(errorMessage(err)).toBe(message);
});
