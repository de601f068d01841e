/**
 * Roles, scopes and token types are named the way the provider's documents
 * name them ("Manager (invoices)", "read:orders", "Read-only"). People type
 * them with other capitalisation and spacing, so names are compared by a key
 * and always stored and shown in the documented spelling.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The documented spelling of `input`, or null when it names none of `known`. */
export function resolveName(known: readonly string[], input: string): string | null {
  const key = nameKey(input);
  return known.find((k) => nameKey(k) === key) ?? null;
}

/** The first name that repeats another (by key), with both positions. */
export function findDuplicateNames(names: readonly string[]): { name: string; first: number; again: number }[] {
  const seen = new Map<string, number>();
  const out: { name: string; first: number; again: number }[] = [];
  names.forEach((name, i) => {
    const key = nameKey(name);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else out.push({ name, first, again: i });
  });
  return out;
}
