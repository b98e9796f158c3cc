import type { ReactNode } from 'react';
import { Icon, type IconName } from './icons';

export function EmptyState({
  icon,
  title,
  children,
  example,
}: {
  icon: IconName;
  title: string;
  children: ReactNode;
  example?: string;
}) {
  return (
    <section className="card empty" aria-label={title}>
      <div className="icon">
        <Icon name={icon} size={26} />
      </div>
      <h2>{title}</h2>
      <p>{children}</p>
      {example ? <pre>{example}</pre> : null}
    </section>
  );
}
