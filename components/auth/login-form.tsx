'use client';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { safeCallbackPath } from '@/lib/domain/http/safe-callback';
import { ErrorAlert } from '../ui/error-alert';
import { FieldBox } from '../ui/field';

interface Props {
  sso?: { name: string };
  callbackUrl: string;
  initialError?: string;
}

/** Posts to next-auth's credentials callback itself, so a 429 from the rate limit can be told apart. */
async function localSignIn(username: string, password: string, callbackUrl: string): Promise<string | undefined> {
  const { csrfToken } = (await fetch('/api/auth/csrf').then((r) => r.json())) as { csrfToken: string };
  const res = await fetch('/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl, json: 'true' }),
  });
  // 429: over the login limit; 403: the post did not come from this origin (e.g. KEELSON_URL differs from the address in the browser).
  if (res.status === 429 || res.status === 403) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return (
      body?.error?.message ??
      (res.status === 429 ? 'Too many login attempts. Wait a minute and try again.' : 'Sign-in refused.')
    );
  }
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  if (!res.ok || !data.url || new URL(data.url, window.location.href).searchParams.has('error'))
    return 'Invalid credentials.';
  return undefined;
}

export function LoginForm({ sso, callbackUrl, initialError }: Props) {
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    const failure = await localSignIn(String(form.get('username')), String(form.get('password')), callbackUrl).catch(
      () => 'Could not reach the server. Try again.',
    );
    if (failure) {
      setError(failure);
      setBusy(false);
    } else {
      // Checked again here: whatever the page was given, never leave this origin.
      window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
    }
  }

  return (
    <>
      <ErrorAlert error={error} />
      {sso ? (
        <>
          <button
            type="button"
            className="btn btn-primary btn-block"
            onClick={() => void signIn('oidc', { callbackUrl })}
          >
            Log in with {sso.name}
          </button>
          <div className="divider">or with a local account</div>
        </>
      ) : null}
      <form onSubmit={submit}>
        <FieldBox id="username" label="Username">
          <input id="username" name="username" className="input" autoComplete="username" required autoFocus={!sso} />
        </FieldBox>
        <FieldBox id="password" label="Password">
          <input
            id="password"
            name="password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
          />
        </FieldBox>
        <button type="submit" className={sso ? 'btn btn-block' : 'btn btn-primary btn-block'} disabled={busy}>
          {busy ? 'Signing in…' : 'Log in'}
        </button>
      </form>
    </>
  );
}
