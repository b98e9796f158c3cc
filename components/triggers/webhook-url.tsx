'use client';
import { useState, useSyncExternalStore } from 'react';

const noSubscribe = () => () => {};

/** The webhook's full URL on the origin the browser reached Keelson at, with a copy button. */
export function WebhookUrl({ path }: { path: string }) {
  const origin = useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => '',
  );
  const [copied, setCopied] = useState(false);
  const url = `${origin}${path}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      window.prompt('Copy the webhook URL', url);
    }
  };
  return (
    <span className="webhook-url">
      <code data-testid="webhook-url">{url}</code>
      <button type="button" className="btn btn-sm" onClick={copy} aria-label="Copy webhook URL">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
