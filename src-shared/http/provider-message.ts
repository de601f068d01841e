import { BIDI_CONTROLS, CONTROLS } from '../unsafe-text';

const UNSHOWABLE = new RegExp(`[${CONTROLS}${BIDI_CONTROLS}]`, 'g');

/**
 * The provider's own error message from an error body, where it sent one:
 * Strapi's `{"error":{"message":"Invalid credentials"}}`, DRF's `{"detail": …}`,
 * or a top-level `message` / `error` / `error_description`. The body passed in
 * must already be redacted (the engine redacts every secret it sent); control
 * and bidirectional formatting characters (src-shared/unsafe-text.ts) become spaces and the text is cut at 200 characters, so a hostile
 * body cannot flood a terminal or a notification.
 */
export function providerMessage(body: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const nested = typeof o.error === 'object' && o.error !== null ? (o.error as Record<string, unknown>).message : undefined;
  const candidates = [nested, o.detail, o.message, o.error_description, typeof o.error === 'string' ? o.error : undefined];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const text = c.replace(UNSHOWABLE, ' ').trim().slice(0, 200);
    if (text) return text;
  }
  return null;
}

/** `400 from Strapi: the server rejected the request` + ` — Strapi said: "Invalid credentials"`, unless the explanation already says it. */
export function withProviderMessage(explanation: string, redactedBody: string, providerName: string): string {
  const said = providerMessage(redactedBody);
  if (!said || explanation.includes(said)) return explanation;
  return `${explanation} — ${providerName} said: "${said}"`;
}

/** Text to go before a full stop: its own final stop(s) removed, so `${clause(x)}.` never ends in "..". */
export function clause(text: string): string {
  return text.replace(/[.\s]+$/, '');
}
