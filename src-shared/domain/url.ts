/**
 * The WHATWG `URL` class exists in every runtime this code runs in (Node,
 * Chromium), but the shared layer compiles with neither DOM nor Node types, so
 * the global is not declared. Rather than pull in either lib (which would let
 * DOM or Node APIs slip into shared code unnoticed), describe the slice we use.
 */
export interface ParsedUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

type UrlConstructor = new (input: string) => ParsedUrl;

const UrlClass = (globalThis as unknown as { URL: UrlConstructor }).URL;

/** Parses an absolute URL; `null` when it is not one. */
export function parseUrl(text: string): ParsedUrl | null {
  try {
    return new UrlClass(text);
  } catch {
    return null;
  }
}
