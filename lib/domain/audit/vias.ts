/**
 * How an audit row's actor came: a browser session (ui), an API token from a script (api) or from the keelson
 * CLI (cli), a project token, a trigger delivery, the controller on its own (automated sync), or the system.
 */
export const AUDIT_VIAS = ['ui', 'api', 'cli', 'project-token', 'trigger', 'controller', 'system'] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

export const AUDIT_RESULTS = ['success', 'failure'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
