/**
 * The one normalisation of every secret or passphrase read from a file or
 * standard input (passphrase files, `token add` on stdin, unlock prompts fed
 * by a pipe): a UTF-8 byte-order mark at the start is dropped, Windows (CRLF)
 * and old Mac (CR) line ends become LF, and the line end(s) at the very end
 * are dropped. Nothing else changes: spaces inside or at either end of a
 * passphrase are part of it. So a passphrase file saved by Notepad
 * (BOM + CRLF) unlocks the same vault as one saved by `echo` or vim.
 */
export function normalizeSecretText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '');
}

/** The lines of normalised secret text (a JWT session's value, then its refresh token). */
export function secretLines(text: string): string[] {
  return normalizeSecretText(text).split('\n');
}
