/** What `npm start`'s supervisor says of each child it runs: up, or waiting to be started again after an exit. */
export const CHILD_STATES = ['running', 'restarting'] as const;
export type ChildState = (typeof CHILD_STATES)[number];

/** The children the supervisor may run. */
export const SUPERVISED_CHILDREN = ['web', 'workers', 'postgres'] as const;
export type SupervisedChild = (typeof SUPERVISED_CHILDREN)[number];

export interface ChildStatus {
  state: ChildState;
  /** The current process (undefined while restarting). */
  pid?: number;
  /** How often it was restarted since `npm start`. */
  restarts: number;
}

/** The supervisor's state file: written on every change, read by /api/readyz. */
export interface SupervisorState {
  /** The supervisor's own pid. */
  pid: number;
  updatedAt: string;
  children: Partial<Record<SupervisedChild, ChildStatus>>;
}
