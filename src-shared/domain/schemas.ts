import * as z from 'zod';
import { lazy } from './lazy';
import { LIMITS } from './limits';
import { DURATION_EXAMPLE, DURATION_UNITS_HELP, parseDays, readDuration, type Duration } from './duration';
import { isDateKey, isTimeZone } from '../expiry/calendar';
import { parseUrl } from './url';
import { BIDI_CONTROLS, CONTROLS, CONTROLS_BUT_LINE_BREAKS } from '../unsafe-text';

/**
 * The input schemas every boundary uses: the IPC handlers, browser mode and the
 * CLI parse with these before anything reaches the vault, so a rule lives in
 * exactly one place.
 */

// Control characters (C0, DEL, C1) and bidi overrides have no business in a
// name: they hide text in terminals and spoof what a list shows.
const UNSAFE_TEXT = new RegExp(`[${CONTROLS}${BIDI_CONTROLS}]`);
const UNSAFE_MULTILINE = new RegExp(`[${CONTROLS_BUT_LINE_BREAKS}${BIDI_CONTROLS}]`);

/** What an id looks like (`ws_`, `env_` or `cred_` and 20 of [0-9a-z]); the Id schema's rule, for callers that only tell an id from a name. */
export const ID_PATTERN = /^(ws|env|cred)_[0-9a-z]{20}$/;

export const Id = lazy(() => z.string().regex(ID_PATTERN, 'must be an id such as cred_0123456789abcdefghij'));

export const Name = lazy(() => z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(LIMITS.nameLength, `must be at most ${LIMITS.nameLength} characters`)
      .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control characters')
      // `/` separates the parts of a REF (workspace/env/name).
      .refine((s) => !s.includes('/'), 'must not contain "/"'),
  ));

const MultilineText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !UNSAFE_MULTILINE.test(s), 'must not contain control characters');

export const Color = lazy(() => z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3b82f6')
  .transform((s) => s.toLowerCase()));

export const ProviderId = lazy(() => z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a provider id such as strapi or api-key'));

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export const BaseUrl = lazy(() => z
  .string()
  .trim()
  .max(LIMITS.urlLength, `must be at most ${LIMITS.urlLength} characters`)
  .superRefine((s, ctx) => {
    const url = parseUrl(s);
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://api.example.com' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must start with https://' });
    } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({ code: 'custom', message: 'must use https:// (plain http:// is only allowed for localhost)' });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
    }
  })
  // One canonical form, without a trailing slash, so base + path joins predictably.
  .transform((s) => {
    // Only reached when the refinement above accepted the URL.
    const url = parseUrl(s)!;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }));

export const CREDENTIAL_KINDS = ['bearer', 'api_key', 'jwt_session'] as const;
export const CredentialKind = lazy(() => z.enum(CREDENTIAL_KINDS));
export type CredentialKind = z.infer<typeof CredentialKind>;

export const CREDENTIAL_STATUSES = ['active', 'expired', 'revoked', 'invalid'] as const;
export const CredentialStatus = lazy(() => z.enum(CREDENTIAL_STATUSES));
export type CredentialStatus = z.infer<typeof CredentialStatus>;

/** RFC 9110 token characters: what a header field name may contain. */
export const HeaderName = lazy(() => z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.headerNameLength)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name such as X-API-Key'));

/**
 * A secret is a single line of printable characters. Whitespace at either end is
 * a paste accident (a trailing newline from `echo`), never part of a token.
 */
export const SecretValue = lazy(() => z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(LIMITS.secretLength, `must be at most ${LIMITS.secretLength} characters`)
      .regex(/^[\x21-\x7e]+$/, 'must be one line of printable ASCII characters without spaces'),
  ));

const ShortText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !UNSAFE_TEXT.test(s), 'must not contain control characters'),
    );

export const Role = lazy(() => ShortText(LIMITS.roleLength));
export const Scope = lazy(() => ShortText(LIMITS.scopeLength));
export const Tag = lazy(() => ShortText(LIMITS.tagLength));
export const RemoteId = lazy(() => ShortText(LIMITS.remoteIdLength));

/** Milliseconds since the epoch; dates cross every boundary as numbers. */
export const Timestamp = lazy(() => z.number().int().min(0).max(8_640_000_000_000_000));

/**
 * A date as typed, read as an instant: a full ISO timestamp, or `2027-03-01`
 * as midnight UTC. For an expiry use ExpiryDateInput instead, which keeps a
 * date-only input as a calendar date.
 */
export const DateInput = lazy(() => z.string().trim().transform((s, ctx) => {
  const ms = parseDateInput(s);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a date such as 2027-03-01 or 2027-03-01T12:00:00Z' });
    return z.NEVER;
  }
  return ms;
}));

/** A calendar date `YYYY-MM-DD` that exists (2028-02-29 yes, 2027-02-29 no). */
export const DateKey = lazy(() => z.string().trim().refine(isDateKey, 'must be a date such as 2027-03-01'));

/**
 * An expiry as typed (`--expires`): `2027-03-01` stays a calendar date (it
 * ends at the end of that day in the user's zone, the same date in every
 * zone); a timestamp with a zone (`2027-03-01T12:00:00Z`) is that instant.
 */
export const ExpiryDateInput = lazy(() => z
  .string()
  .trim()
  .transform((s, ctx): { date: string } | { at: number } => {
    if (isDateKey(s)) return { date: s };
    const ms = /T/.test(s) ? parseDateInput(s) : null;
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a date such as 2027-03-01 or a time such as 2027-03-01T12:00:00Z' });
      return z.NEVER;
    }
    return { at: ms };
  }));

export function parseDateInput(s: string): number | null {
  const isoDate = /^\d{4}-\d{2}-\d{2}$/;
  const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  if (!isoDate.test(s) && !isoDateTime.test(s)) return null;
  // Date.parse rolls 2027-02-31 over to March, in timestamps too; a typo must not become a date.
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (!isCalendarDate(y, m, d)) return null;
  const ms = Date.parse(isoDate.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(ms)) return null;
  return ms;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/**
 * A lifetime as typed (`--duration`, the form's "Expires after"): units
 * min, h, d, w, mo, y; a bare `m` is refused with a message naming `min` and
 * `mo`. The instant is worked out by addDuration in the user's zone.
 */
export const DurationInput = lazy(() => z.string().transform((s, ctx): Duration => {
  const r = readDuration(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }
  const d = r.duration;
  const days = { min: d.amount / 1440, h: d.amount / 24, d: d.amount, w: d.amount * 7, mo: d.amount * 30, y: d.amount * 365 }[d.unit];
  if (days > LIMITS.durationDaysMax) {
    ctx.addIssue({ code: 'custom', message: `must be at most ${LIMITS.durationDaysMax / 365} years (${DURATION_EXAMPLE}; units: ${DURATION_UNITS_HELP})` });
    return z.NEVER;
  }
  return d;
}));

export const RotationDays = lazy(() => z.number().int().min(1).max(LIMITS.rotationDaysMax));

export const RotationInput = lazy(() => z.string().transform((s, ctx) => {
  const days = parseDays(s);
  if (days === null || days > LIMITS.rotationDaysMax) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number of days such as 90d or 12w' });
    return z.NEVER;
  }
  return days;
}));

export const WorkspaceInput = lazy(() => z.strictObject({
  name: Name,
  providerId: ProviderId.optional(),
  color: Color.optional(),
  notes: MultilineText(LIMITS.notesLength).optional(),
}));
export type WorkspaceInput = z.input<typeof WorkspaceInput>;

/**
 * What an edit expects the row's `updatedAt` to be (ms since the epoch, UTC):
 * when another window or process changed it since it was read, the edit is
 * refused with CONFLICT instead of silently overwriting that change.
 */
const ExpectedUpdatedAt = lazy(() => z.number().int().min(0).optional());

export const WorkspacePatch = lazy(() => WorkspaceInput.partial().extend({ expectedUpdatedAt: ExpectedUpdatedAt }));
export type WorkspacePatch = z.input<typeof WorkspacePatch>;

export const EnvironmentInput = lazy(() => z.strictObject({
  workspaceId: Id,
  name: Name,
  baseUrl: BaseUrl,
  production: z.boolean().default(false),
}));
export type EnvironmentInput = z.input<typeof EnvironmentInput>;

export const EnvironmentPatch = lazy(() => z.strictObject({
  name: Name.optional(),
  baseUrl: BaseUrl.optional(),
  production: z.boolean().optional(),
  expectedUpdatedAt: ExpectedUpdatedAt,
}));
export type EnvironmentPatch = z.input<typeof EnvironmentPatch>;

const CredentialFields = lazy(() => ({
  name: Name,
  description: MultilineText(LIMITS.descriptionLength).optional(),
  /** Free text for the user (where it is used, who asked for it); sealed like every typed field. */
  notes: MultilineText(LIMITS.notesLength).optional(),
  kind: CredentialKind,
  headerName: HeaderName.optional(),
  role: Role.optional(),
  scopes: z.array(Scope).max(LIMITS.scopeCount).optional(),
  tokenType: ShortText(LIMITS.roleLength).optional(),
  /** Either a fixed date or null for "never expires". */
  expiresAt: Timestamp.nullable().optional(),
  /** A date-only expiry (`2027-03-01`), resolved in the user's zone by the main process; replaces expiresAt. */
  expiresOn: DateKey.nullable().optional(),
  /** A lifetime from now (`30d`, `6mo`), resolved by the main process with the shared duration rule. */
  expiresAfter: z.string().max(20).nullable().optional(),
  rotationDays: RotationDays.nullable().optional(),
  remoteId: RemoteId.optional(),
  tags: z.array(Tag).max(LIMITS.tagCount).optional(),
}));

export const SecretInput = lazy(() => z.strictObject({
  value: SecretValue,
  /** Only for jwt_session: the refresh token that renews `value`. */
  refreshToken: SecretValue.optional(),
}));
export type SecretInput = z.input<typeof SecretInput>;

export const CredentialInput = lazy(() => z
  .strictObject({
    environmentId: Id,
    ...CredentialFields,
    secret: SecretInput,
  })
  .superRefine((c, ctx) => checkKindFields(c, ctx)));
export type CredentialInput = z.input<typeof CredentialInput>;

export const CredentialPatch = lazy(() => z
  .strictObject({
    name: CredentialFields.name.optional(),
    description: CredentialFields.description,
    notes: CredentialFields.notes,
    headerName: CredentialFields.headerName,
    role: CredentialFields.role.nullable(),
    scopes: CredentialFields.scopes,
    tokenType: CredentialFields.tokenType.nullable(),
    expiresAt: CredentialFields.expiresAt,
    expiresOn: CredentialFields.expiresOn,
    expiresAfter: CredentialFields.expiresAfter,
    rotationDays: CredentialFields.rotationDays,
    remoteId: CredentialFields.remoteId.nullable(),
    tags: CredentialFields.tags,
    status: CredentialStatus.optional(),
    expectedUpdatedAt: ExpectedUpdatedAt,
  }));
export type CredentialPatch = z.input<typeof CredentialPatch>;

function checkKindFields(
  c: { kind: CredentialKind; headerName?: string | undefined; secret: { refreshToken?: string | undefined } },
  ctx: z.RefinementCtx,
) {
  if (c.kind === 'api_key' && !c.headerName) {
    ctx.addIssue({ code: 'custom', path: ['headerName'], message: 'is required for an API key (for example X-API-Key)' });
  }
  if (c.kind !== 'api_key' && c.headerName) {
    ctx.addIssue({ code: 'custom', path: ['headerName'], message: 'only applies to API keys' });
  }
  if (c.kind !== 'jwt_session' && c.secret.refreshToken) {
    ctx.addIssue({ code: 'custom', path: ['secret', 'refreshToken'], message: 'only applies to JWT sessions' });
  }
}

export const Passphrase = lazy(() => z
  .string()
  .min(LIMITS.passphraseMinLength, `must be at least ${LIMITS.passphraseMinLength} characters`)
  .max(LIMITS.passphraseMaxLength, `must be at most ${LIMITS.passphraseMaxLength} characters`));

export const KeySource = lazy(() => z.enum(['keychain', 'passphrase']));
export type KeySource = z.infer<typeof KeySource>;

export const SETTINGS_DEFAULTS = {
  /** Lock after this many minutes without user activity; 0 turns auto-lock off. */
  autoLockMinutes: 10,
  /** Clear the clipboard this many seconds after a copy, if it still holds the value. */
  clipboardClearSeconds: 30,
  /** How long a revealed value stays on screen. */
  revealSeconds: 10,
  /**
   * Keep a revoked token's value in the vault (for forensics: matching it in
   * logs). Off by default: a dead token's value is only a liability.
   */
  keepRevokedSecrets: false,
  /**
   * Let `tokenvault unlock` sessions outlive the app's lock (the Lock button,
   * auto-lock, the OS lock screen). Off by default: locking the app locks the vault everywhere.
   */
  keepCliSessionsOnLock: false,
  // issue 12 (Settings): appearance, dates and reminders.
  /** `system` follows the OS's light or dark; the others force one. */
  theme: 'system' as Theme,
  /** IANA zone every date is shown in (e.g. `Europe/Amsterdam`); null: the OS's zone. */
  timeZone: null as string | null,
  /** Calendar days before an expiry that a reminder is sent (and the token shows as due soon within the largest). */
  expiryReminderDays: [14, 3, 1] as number[],
  /** The same for a rotation's due date. */
  rotationReminderDays: [14, 3, 1] as number[],
};
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
/** Reminder thresholds: 1 to 5 distinct whole numbers of days, each 1–365. */
export const ReminderDays = lazy(() => z
  .array(z.number().int().min(1).max(365))
  .min(1, 'needs at least one day')
  .max(5, 'takes at most 5 days')
  .refine((a) => new Set(a).size === a.length, 'must not repeat a day'));
export const TimeZoneName = lazy(() => z.string().max(64).refine(isTimeZone, 'must be a time zone name such as Europe/Amsterdam'));
export const Settings = lazy(() => z.strictObject({
  autoLockMinutes: z.number().int().min(0).max(24 * 60),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  revealSeconds: z.number().int().min(3).max(120),
  keepRevokedSecrets: z.boolean(),
  keepCliSessionsOnLock: z.boolean(),
  theme: z.enum(THEMES),
  timeZone: TimeZoneName.nullable(),
  expiryReminderDays: ReminderDays,
  rotationReminderDays: ReminderDays,
}));
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = lazy(() => Settings.partial());
