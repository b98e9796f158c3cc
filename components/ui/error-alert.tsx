'use client';
import type { CSSProperties } from 'react';
import { ApiError } from '@/lib/client/api';

/**
 * The one way an error is shown: an `alert-error` box with the message, and for API errors the
 * field issues and the hint. Options keep each place as it was: `plain` shows the message only,
 * `quiet` leaves out role="alert", `issuesUnlessInMessage` lists issues only when the message
 * does not already name their paths.
 */
export function ErrorAlert({
  error,
  prefix,
  plain,
  quiet,
  issuesUnlessInMessage,
  as: Tag = 'div',
  style,
}: {
  error: Error | string | null | undefined;
  prefix?: string;
  plain?: boolean;
  quiet?: boolean;
  issuesUnlessInMessage?: boolean;
  as?: 'div' | 'span';
  style?: CSSProperties;
}) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  const api = !plain && error instanceof ApiError ? error : null;
  const listIssues =
    api !== null && (issuesUnlessInMessage ? api.issues.some((i) => !message.includes(i.path)) : api.issues.length > 0);
  return (
    <Tag className="alert alert-error" role={quiet ? undefined : 'alert'} style={style}>
      {prefix}
      {message}
      {listIssues ? (
        <ul className="issues">
          {api.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {api?.hint ? <div className="muted">{api.hint}</div> : null}
    </Tag>
  );
}
