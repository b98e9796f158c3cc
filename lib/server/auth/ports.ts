// The row shapes are the schema's (one source); the auth and token use cases take them from here.
import type { ApiTokenRow, UserRow } from '@/lib/adapters/db/schema';
import type { RateWindow } from '@/lib/domain/auth/rate-limit';
import type { AuditTrail } from '../audit';

/** A user as created: local (the admin) or from an SSO provider. */
export interface NewUser {
  username: string;
  name: string | null;
  email?: string | null;
  role: UserRow['role'];
  source: string;
  passwordHash?: string | null;
  groups?: string[];
  lastLoginAt?: Date;
}

/** What a login through a provider refreshes. */
export type UserProfile = Pick<UserRow, 'name' | 'email' | 'groups' | 'lastLoginAt'>;

export interface UserStore {
  findByUsername(username: string): Promise<UserRow | undefined>;
  /** Which of these names are local accounts (source `local`). */
  localUsernames(among: readonly string[]): Promise<string[]>;
  usernameOf(id: string): Promise<string | undefined>;
  /** Inserts; undefined when the username is taken (another process won the race). */
  insertIfAbsent(user: NewUser): Promise<UserRow | undefined>;
  insert(user: NewUser): Promise<UserRow>;
  recordLogin(id: string, at: Date): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** The user linked to a provider's account. */
  findByAccount(provider: string, subject: string): Promise<UserRow | undefined>;
  linkAccount(userId: string, provider: string, subject: string): Promise<void>;
  updateProfile(id: string, profile: UserProfile): Promise<UserRow>;
  /** Users by username (one when `username` is given) with how many of their own API tokens are not revoked. */
  withTokenCounts(username?: string): Promise<UserWithTokens[]>;
  /** Deletes the user; their sessions, tokens and SSO links go with it (foreign keys cascade). */
  remove(id: string): Promise<boolean>;
  /** Makes `toUserId` the issuer of the live project tokens `fromUserId` issued; answers how many. */
  handOverProjectTokens(fromUserId: string, toUserId: string): Promise<number>;
}

export interface UserWithTokens {
  user: UserRow;
  tokenCount: number;
}

/** Browser sessions: the signed cookie only names one. */
export interface SessionStore {
  /** Returns the new session's id. */
  insert(session: { userId: string; expiresAt: Date; createdAt: Date }): Promise<string>;
  /** The user of a session that has not expired at `now`. */
  liveUser(sessionId: string, now: Date): Promise<UserRow | undefined>;
  /** Deletes the session; answers the id of the user it belonged to, if it existed. */
  delete(sessionId: string): Promise<string | undefined>;
  /** Ends every session of a user (their password was reset); answers how many there were. */
  deleteAllOf(userId: string): Promise<number>;
}

/** The fixed-window counters of login attempts, by key (`ip:…`, `user:…`). */
export interface LoginAttemptStore {
  /** The counter, locked for the rest of the transaction; created empty (count 0 from `start`) when missing. */
  lock(key: string, start: Date): Promise<RateWindow | undefined>;
  save(key: string, window: RateWindow): Promise<void>;
}

export type NewApiToken = Pick<ApiTokenRow, 'userId' | 'name' | 'prefix' | 'tokenHash' | 'expiresAt' | 'createdAt'>;

/** API tokens (only their hash is stored). */
export interface ApiTokenStore {
  /** The token with that hash and its user. */
  findByHash(tokenHash: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined>;
  touchLastUsed(id: string, at: Date): Promise<void>;
  insert(token: NewApiToken): Promise<ApiTokenRow>;
  /** A user's tokens not revoked, newest first. */
  activeOf(userId: string): Promise<ApiTokenRow[]>;
  /** Revokes one of the user's tokens not yet revoked; false when there is none. */
  revoke(id: string, userId: string, at: Date): Promise<boolean>;
}

/** The stores of the auth tables, all on one connection (the pool, or one transaction). */
export interface AuthRecords {
  users: UserStore;
  sessions: SessionStore;
  loginAttempts: LoginAttemptStore;
  tokens: ApiTokenStore;
  audit: AuditTrail;
}

/** The auth stores outside any transaction, and the unit of work that opens one (the same stores bound to it). */
export interface AuthStores extends AuthRecords {
  transaction<T>(work: (tx: AuthRecords) => Promise<T>): Promise<T>;
}

/** What the auth and token use cases need: their stores and the clock. */
export interface AuthDeps {
  auth: AuthStores;
  now: () => Date;
}

export type { ApiTokenRow, UserRow };
