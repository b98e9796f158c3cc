import { randomBytes } from 'node:crypto';

/** Kubernetes generateName: the prefix plus five random lowercase letters or digits. */
export function generatedName(prefix: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(5);
  return prefix + [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
