/**
 * A masked fingerprint is what the UI, the CLI and the audit log show instead
 * of a secret: enough to recognise a token next to the provider's portal
 * (which shows the same kind of prefix/suffix), never enough to use it.
 *
 * Short secrets reveal less, so that the masked part always keeps most of the
 * entropy: at most a quarter of the characters are ever shown.
 */
/**
 * Prefixes providers publish as the fixed start of their tokens (Regen
 * Therapy's `rg_`, Stripe-style `sk_live_`, GitHub's `ghp_`): public, so
 * showing one costs no entropy. Only listed ones count: a random token that
 * merely begins with letters and `_` (about 1 base64url token in 20) must not
 * show more of itself than any other.
 */
export const KNOWN_TOKEN_PREFIXES: readonly string[] = [
  'rg_',
  'sk_live_',
  'sk_test_',
  'pk_live_',
  'pk_test_',
  'rk_live_',
  'rk_test_',
  'github_pat_',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
];

export function fingerprint(secret: string): string {
  const s = secret.trim();
  const n = s.length;
  if (n < 12) return `…(${n} chars)`;
  const prefix = KNOWN_TOKEN_PREFIXES.find((p) => s.startsWith(p)) ?? '';
  const budget = Math.floor(n / 4);
  const tail = Math.min(4, Math.floor(budget / 2));
  const headExtra = Math.max(0, Math.min(4, budget - tail));
  const head = prefix.length + headExtra <= n - tail - 4 ? s.slice(0, prefix.length + headExtra) : s.slice(0, headExtra);
  return `${head}…${s.slice(n - tail)}`;
}
