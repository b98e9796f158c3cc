import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { verifySignature } from './verify-signature';

const body = '{"ref":"refs/heads/main"}';
const sign = (secret: string, b = body) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;

it('accepts a correct GitHub signature and refuses a wrong, missing or body-mismatched one', () => {
  expect(verifySignature('github', { 'x-hub-signature-256': sign('s3') }, body, 's3')).toEqual({ ok: true });
  expect(verifySignature('github', { 'x-hub-signature-256': sign('other') }, body, 's3').ok).toBe(false);
  expect(verifySignature('github', { 'x-hub-signature-256': sign('s3', '{}') }, body, 's3').ok).toBe(false);
  expect(verifySignature('github', {}, body, 's3')).toEqual({
    ok: false,
    reason: 'missing X-Hub-Signature-256 header',
  });
  expect(verifySignature('github', { 'x-hub-signature-256': 'sha256=short' }, body, 's3').ok).toBe(false);
});

it('checks the GitLab token', () => {
  expect(verifySignature('gitlab', { 'x-gitlab-token': 'tok' }, body, 'tok')).toEqual({ ok: true });
  expect(verifySignature('gitlab', { 'x-gitlab-token': 'tok2' }, body, 'tok').ok).toBe(false);
  expect(verifySignature('gitlab', {}, body, 'tok').ok).toBe(false);
});
