/**
 * Removes credential values from text that will be shown or stored (response
 * bodies that echo a token, header values, error messages): the value itself
 * and the encodings an API is likely to echo it in.
 */
export const REDACTED = '[REDACTED]';

function encodings(secret: string): string[] {
  const out = new Set<string>([secret]);
  out.add(encodeURIComponent(secret));
  // base64 and base64url of the value, as in Basic auth or JSON-in-JWT echoes.
  const b64 = btoaUtf8(secret);
  out.add(b64);
  out.add(b64.replace(/=+$/, ''));
  out.add(b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

function btoaUtf8(s: string): string {
  // Tokens are printable ASCII (the schema enforces it), so btoa is exact here.
  return btoa(s);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of encodings(secret)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/**
 * Every form of a secret that `redact` removes (the value and its escapings),
 * longest first: what `tokenvault exec --mask` and the credential proxy look
 * for in bytes they pass on (issue 13), so they learn each new escaping with
 * `redact` itself.
 */
export function redactionForms(secret: string): string[] {
  return secret.length < 4 ? [] : encodings(secret);
}
