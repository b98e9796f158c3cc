import { expect, it } from 'vitest';
import { routeLabel } from './route-label';

it.each([
  ['/', '/'],
  ['/applications?page=2', '/applications'],
  ['/settings/tokens', '/settings'],
  ['/_next/static/chunks/abc.js', '/_next/*'],
  ['/api/v1/tokens/3b241101-e2bb-4255-8caf-4136c566a962', '/api/v1/tokens/:id'],
  ['/api/v1/pipelineruns/42/logs', '/api/v1/pipelineruns/:id/logs'],
  ['/metrics', '/metrics'],
])('labels %s as %s', (url, label) => {
  expect(routeLabel(url)).toBe(label);
});
