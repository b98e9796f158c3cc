'use client';
import { signOut } from 'next-auth/react';

export interface ShellUser {
  username: string;
  name: string | null;
  via: string;
}

export function UserMenu({ user }: { user: ShellUser }) {
  const display = user.name ?? user.username;
  return (
    <div className="sidebar-foot">
      <div className="user" data-testid="current-user">
        <span className="avatar" aria-hidden="true">
          {display.slice(0, 1)}
        </span>
        <span style={{ minWidth: 0 }}>
          <div className="user-name">{display}</div>
          <div className="user-meta">@{user.username}</div>
        </span>
      </div>
      <button type="button" className="link-button" onClick={() => void signOut({ callbackUrl: '/login' })}>
        Log out
      </button>
    </div>
  );
}
