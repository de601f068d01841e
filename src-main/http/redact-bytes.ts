import { redact } from '../../src-shared/http/redact';

/**
 * `redact` over bytes of any kind (a proxied body, binary or text): read as
 * latin1, where each byte is one character and back, so every byte that is
 * not part of a secret's form comes out unchanged. Secrets are printable
 * ASCII, so their forms are the same bytes in UTF-8 and in latin1. Returns the
 * same Buffer when nothing was found.
 */
export function redactBytes(body: Buffer, secrets: readonly string[]): Buffer {
  const text = body.toString('latin1');
  const out = redact(text, secrets);
  return out === text ? body : Buffer.from(out, 'latin1');
}
