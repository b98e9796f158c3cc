'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon, type IconName } from './icons';

const items: { href: string; label: string; icon: IconName }[] = [
  { href: '/applications', label: 'Applications', icon: 'apps' },
  { href: '/pipelines', label: 'Pipelines', icon: 'pipelines' },
  { href: '/runs', label: 'Runs', icon: 'runs' },
  { href: '/settings', label: 'Settings', icon: 'settings' },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={pathname.startsWith(item.href) ? 'page' : undefined}>
          <Icon name={item.icon} />
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
