import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Keelson', template: '%s · Keelson' },
  description: 'CI pipelines and GitOps delivery in one place',
};
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** Rendered per request (never prerendered), so Next.js can stamp the proxy's CSP nonce on its scripts. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
