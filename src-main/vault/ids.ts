import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** `cred_` + 20 base32 characters: 100 random bits, lowercase, safe in URLs, file names and REFs. */
export function newId(prefix: 'ws' | 'env' | 'cred' | 'rot', random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(20);
  let out = '';
  // 256 is a multiple of 32, so `b & 31` is unbiased.
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

export function newVaultId(random: (n: number) => Buffer = randomBytes): string {
  return `vault_${random(16).toString('hex')}`;
}
