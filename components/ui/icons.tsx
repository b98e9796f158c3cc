import type { ReactElement } from 'react';

const paths: Record<string, ReactElement> = {
  logo: <path d="M3 17h18M5 17l2-9h10l2 9M12 3v5" />,
  apps: <path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" />,
  pipelines: <path d="M5 6a2 2 0 1 0 0 .01M19 6a2 2 0 1 0 0 .01M12 18a2 2 0 1 0 0 .01M7 6h10M6 8l5 8M18 8l-5 8" />,
  runs: <path d="M6 4l14 8-14 8z" />,
  settings: (
    <path d="M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM4 12h2M18 12h2M12 4v2M12 18v2M6.3 6.3l1.4 1.4M16.3 16.3l1.4 1.4M6.3 17.7l1.4-1.4M16.3 7.7l1.4-1.4" />
  ),
  key: <path d="M15 7a4 4 0 1 0-3.9 5L4 19v2h3v-2h2v-2h2l1.9-1.9A4 4 0 0 0 15 7z" />,
  heart: <path d="M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z" />,
  spinner: <path d="M12 3a9 9 0 1 0 9 9" />,
  broken: <path d="M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10zM12 7.4l-1.5 4 3 1.5-1.5 4" />,
  pause: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM10 9v6M14 9v6" />,
  ghost: <path d="M6 20V10a6 6 0 0 1 12 0v10l-2-1.5-2 1.5-2-1.5-2 1.5-2-1.5zM10 10h.01M14 10h.01" />,
  question: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9.5 9.5a2.5 2.5 0 0 1 4.9.6c0 1.7-2.4 2-2.4 3.4M12 17h.01" />,
  check: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12.5l2.5 2.5L16 9.5" />,
  outOfSync: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 16V8M8.5 11.5 12 8l3.5 3.5" />,
  pin: <path d="M9 3h6l-1 6 4 4H6l4-4zM12 13v8" />,
  refresh: <path d="M20 11a8 8 0 0 0-14.7-3.6M4 4v4h4M4 13a8 8 0 0 0 14.7 3.6M20 20v-4h-4" />,
  rollback: <path d="M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3" />,
  trash: <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />,
  sync: <path d="M4 12a8 8 0 0 1 14-5.3L20 9M20 4v5h-5M20 12a8 8 0 0 1-14 5.3L4 15M4 20v-5h5" />,
  commit: <path d="M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM3 12h6M15 12h6" />,
  grid: <path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" />,
  list: <path d="M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01" />,
  plus: <path d="M12 5v14M5 12h14" />,
  alert: <path d="M12 3 2 20h20zM12 10v4M12 17h.01" />,
  cluster: <path d="M12 2 3 7v10l9 5 9-5V7zM12 12l9-5M12 12v10M12 12 3 7" />,
  git: <path d="M6 3v12M6 15a3 3 0 1 0 0 .01M18 6a3 3 0 1 0 0 .01M18 9c0 4-6 3-12 6" />,
  webhook: <path d="M9 8a3 3 0 1 1 4.5 2.6L17 17M7 17a3 3 0 1 1 1-5.8L12 5M17 14a3 3 0 1 1-1.5 5.6H9" />,
  prune: <path d="M6 6l12 12M18 6 6 18" />,
};

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {paths[name]}
    </svg>
  );
}

/** An icon then its text, as buttons show them. */
export function IconLabel({ icon, text, size = 16 }: { icon: IconName; text: string; size?: number }) {
  return (
    <>
      <Icon name={icon} size={size} /> {text}
    </>
  );
}
