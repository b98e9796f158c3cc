import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { Icon } from '@/components/ui/icons';
import { safeCallbackPath } from '@/lib/domain/http/safe-callback';
import { oidcEnabled, publicUrl } from '@/lib/env';
import { NOT_IN_ALLOWED_GROUPS } from '@/lib/server/auth/admit-sso-login';
import { principalFromCookies } from '@/lib/server/auth/current-principal';
import { webContext } from '@/lib/server/context';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Log in' };

const ERRORS: Record<string, string> = {
  OAuthCallback: 'Single sign-on failed. Try again, or ask an administrator to check the SSO settings.',
  OAuthSignin: 'Could not reach the SSO provider. Try again in a moment.',
  Callback: 'Single sign-on failed. Try again.',
  AccessDenied: NOT_IN_ALLOWED_GROUPS,
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; callbackUrl?: string }>;
}) {
  if (await principalFromCookies(await cookies())) redirect('/applications');
  const { error, callbackUrl } = await searchParams;
  // `/\evil.example` starts with one slash but the browser goes to evil.example: judge it as the browser will.
  const { env: e } = webContext();
  const safeCallback = safeCallbackPath(callbackUrl, publicUrl(e));
  return (
    <div className="login-wrap">
      <div className="card login-card">
        <div className="brand">
          <Icon name="logo" size={24} /> Keelson
        </div>
        <p className="login-sub">Sign in to continue</p>
        <LoginForm
          sso={oidcEnabled(e) ? { name: e.KEELSON_OIDC_NAME } : undefined}
          callbackUrl={safeCallback}
          initialError={error ? (ERRORS[error] ?? 'Sign-in failed. Try again.') : undefined}
        />
      </div>
    </div>
  );
}
