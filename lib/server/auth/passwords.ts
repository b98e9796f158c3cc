import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

const COST = 10;
/** Compared against when the user does not exist, so both paths take the same time. */
const DUMMY_HASH = bcrypt.hashSync('keelson-dummy-password', COST);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash);
}

/** Argo CD style: a random initial admin password, printed once. */
export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
