/**
 * Input limits. They are documented in the README; raising one is a product
 * decision, because every limit is also a bound on what a malformed or
 * hostile input can make the vault store, encrypt and send.
 */
export const LIMITS = {
  nameLength: 100,
  descriptionLength: 2_000,
  notesLength: 10_000,
  urlLength: 2_048,
  /** 16 KiB covers every real token format, including long JWTs. */
  secretLength: 16_384,
  headerNameLength: 100,
  roleLength: 200,
  scopeLength: 200,
  scopeCount: 100,
  tagLength: 50,
  tagCount: 20,
  remoteIdLength: 200,
  rotationDaysMax: 3_650,
  /** Durations such as `--duration 30d` may not reach beyond 100 years. */
  durationDaysMax: 36_500,
  passphraseMinLength: 10,
  passphraseMaxLength: 1_024,
} as const;
