/**
 * What a redirect did to a test, in data and in words.
 *
 * A test's `ok` means "a 2xx answer from the environment's own origin, to a
 * request that carried the credential". A redirect can end a test somewhere
 * else: another origin (an SSO login page) that never saw the token, a loop,
 * more hops than the engine follows, or a target the engine refuses (plain
 * http to a remote host). Each of those is the outcome `redirected`, with the
 * chain and the reason, never `ok`.
 */

/** One request the engine sent while following redirects (the first one included). */
export interface RedirectHop {
  /** The URL requested, with any secret redacted. */
  url: string;
  /** The status it answered. */
  status: number;
  /** Whether this request carried the credential (only ever to the environment's own origin). */
  credentialSent: boolean;
}

/**
 * Why the engine stopped:
 * - `left_origin`: the last answer came from another origin, which never saw the token;
 * - `loop`: a redirect pointed back to a URL already requested in this chain;
 * - `hop_limit`: more redirects than the engine follows;
 * - `refused`: the target is not a safe transport for this request (plain http to a remote host,
 *   or not an http(s) URL), so it was not requested;
 * - `no_location`: a 3xx answer without a usable `Location`.
 */
export type RedirectStop = 'left_origin' | 'loop' | 'hop_limit' | 'refused' | 'no_location';

export interface RedirectVerdict {
  /** Every request sent, in order; the last one gave the final answer. */
  chain: RedirectHop[];
  stoppedBecause: RedirectStop;
  /** Where the last redirect pointed (redacted), when the engine did not follow it; else null. */
  notFollowed: string | null;
  /** Whether the final answer looks like a sign-in page (HTML, or a login/SSO path). */
  loginPage: boolean;
  /** The reason in plain words. */
  explanation: string;
}

const LOGIN_PATH = /(^|[/._-])(login|log-in|signin|sign-in|sso|saml|oauth2?|authorize|auth|idp|cas|account\/login)([/._?-]|$)/i;

/** A final answer that reads as a sign-in page: HTML, or a URL path that names a login or SSO step. */
export function looksLikeLoginPage(url: string, contentType: string | null): boolean {
  let path = url;
  try {
    const u = new URL(url);
    path = `${u.pathname}${u.search}`;
  } catch {
    // keep the raw text
  }
  return LOGIN_PATH.test(path) || /^\s*text\/html\b/i.test(contentType ?? '');
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The explanation of a `redirected` verdict, for a person: where the API sent
 * the request, whether the token went along, why the engine stopped, and what
 * that says about the token. `documented` is the provider's own words for the
 * redirect status, where its definition has some.
 */
export function explainRedirect(
  v: Omit<RedirectVerdict, 'explanation'>,
  providerName: string,
  maxRedirects: number,
  documented: string | null,
): string {
  const first = v.chain[0];
  const last = v.chain[v.chain.length - 1];
  const firstStatus = first?.status ?? 0;
  const own = documented ? ` ${providerName} documents ${firstStatus} as: ${documented}.` : '';
  const hops = v.chain.length - 1;
  const hopWords = `${hops} redirect${hops === 1 ? '' : 's'}`;
  switch (v.stoppedBecause) {
    case 'left_origin': {
      const where = originOf(last?.url ?? '');
      const base = v.loginPage
        ? `${providerName} sent you to a login page (${where}, ${last?.status ?? '?'} after ${hopWords}): the token was not accepted as a session, and it was not sent on to ${where}.`
        : `${providerName} sent you to another origin (${where}, ${last?.status ?? '?'} after ${hopWords}); the token was not sent there, so this answer says nothing about the token.`;
      return `${base}${own} Not OK: the token did not reach the API's answer.`;
    }
    case 'loop':
      return `${providerName} redirects in a loop (${hopWords}, back to ${v.notFollowed ?? 'a URL already requested'}): the engine stopped. The token never got an answer.${own}`;
    case 'hop_limit':
      return `${providerName} redirected more than ${maxRedirects} times: the engine stopped following at ${last?.url ?? '?'} (${last?.status ?? '?'}). The token never got an answer.${own}`;
    case 'refused':
      return `${last?.status ?? '?'} redirect to ${v.notFollowed ?? 'an unsafe URL'} was not followed: it is not a safe transport (plain http to a remote host, or not http at all). The token was not sent there, and got no answer from the API.${own}`;
    case 'no_location':
      return `${last?.status ?? '?'} from ${providerName} without a usable Location: nothing to follow, and no answer to the token.${own}`;
  }
}
