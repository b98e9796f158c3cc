import { relativeTime } from './time-format';

/**
 * "23 s ago" as a `<time>`: the text may tick between the server's render and the browser's hydration,
 * so the browser's own text wins without a hydration error (React #418).
 */
export function Ago({ at, now }: { at: string | null | undefined; now?: number }) {
  if (!at) return <>{relativeTime(null)}</>;
  return (
    <time dateTime={at} suppressHydrationWarning>
      {relativeTime(at, now)}
    </time>
  );
}
