import { anyToAny, stateMachine } from '../state-machine';

/** `applications.sync_status` and a resource's sync status (Argo CD's SyncStatusCode). The one list. */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
export type SyncStatusCode = (typeof SYNC_STATUSES)[number];

/** An observation, not a lifecycle: every comparison may report any status, whatever the last one was. */
export const SyncStatuses = stateMachine('SyncStatus', SYNC_STATUSES, anyToAny(SYNC_STATUSES));
