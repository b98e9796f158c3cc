import Link from 'next/link';
import type { ReactNode } from 'react';
import { Icon } from './icons';
import { NavLinks } from './nav-links';
import { UserMenu, type ShellUser } from './user-menu';

/** The frame around every signed-in page: navigation on the left (top on phones), the user at the bottom. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/applications" className="brand" style={{ textDecoration: 'none' }}>
          <Icon name="logo" size={22} />
          Keelson
        </Link>
        <NavLinks />
        <UserMenu user={user} />
      </aside>
      <main className="main">{children}</main>
    </div>
  );
}
