/** The User-Agent the keelson CLI sends, so the audit log can tell its requests from other API clients'. */
export function cliUserAgent(version: string): string {
  return `keelson-cli/${version}`;
}

export function isCliUserAgent(userAgent: string | null | undefined): boolean {
  return Boolean(userAgent?.startsWith('keelson-cli/'));
}
