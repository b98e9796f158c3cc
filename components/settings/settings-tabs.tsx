import Link from 'next/link';

const tabs = [
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/settings/triggers', label: 'Triggers' },
  { href: '/settings/repositories', label: 'Repositories' },
  { href: '/settings/clusters', label: 'Clusters' },
  { href: '/settings/pipelines', label: 'Pipelines' },
  { href: '/settings/webhooks', label: 'Webhooks' },
  { href: '/settings/audit', label: 'Audit' },
  { href: '/settings/accounts', label: 'Accounts' },
  { href: '/settings/projects', label: 'Projects' },
  { href: '/settings/access', label: 'Access' },
];

export function SettingsTabs({ current }: { current: string }) {
  return (
    <nav className="tabs settings-tabs" aria-label="Settings">
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={t.href === current ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
