/**
 * A masked fingerprint is what the UI, the CLI and the audit log show instead
 * of a secret: enough to recognise a token next to the provider's portal
 * (which shows the same kind of prefix/suffix), never enough to use it.
 *
 * Short secrets reveal less, so that the masked part always keeps most of the
 * entropy: at most a quarter of the characters are ever shown.
 */
const KNOWN_PREFIX = /^([A-Za-z]{1,8}_(?:live_|test_)?)/;

export function fingerprint(secret: string): string {
  const s = secret.trim();
  const n = s.length;
  if (n < 12) return `…(${n} chars)`;
  const prefix = KNOWN_PREFIX.exec(s)?.[1] ?? '';
  const budget = Math.floor(n / 4);
  const tail = Math.min(4, Math.floor(budget / 2));
  const headExtra = Math.max(0, Math.min(4, budget - tail));
  const head = prefix.length + headExtra <= n - tail - 4 ? s.slice(0, prefix.length + headExtra) : s.slice(0, headExtra);
  return `${head}…${s.slice(n - tail)}`;
}
