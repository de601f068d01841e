import type { TestHistoryDetail, TestResult } from '../../src-shared/ipc/contract';
import type { SecretMatcher } from '../../src-shared/http/redact';

/**
 * What a test history entry keeps of a result, so a past test can be read
 * in full later (issue 12): every field of the result except the response
 * headers and body, which may carry personal data and are never kept. The
 * engine has redacted the token from what it returns already; the texts are
 * redacted once more here, with every secret the request used, so a value
 * echoed anywhere never reaches the history. `scrub` is the request's own
 * matcher, compiled for every secret the request used (the stored value, a
 * refresh token, a renewed session's): the same one the engine redacted with,
 * so a test compiles its secrets once, not twice (issue 9's overhead).
 */
export function historyDetail(r: Omit<TestResult, 'credentialId'>, scrub: SecretMatcher): TestHistoryDetail {
  const clean = (s: string) => scrub.redact(s);
  return {
    url: clean(r.url),
    presetId: r.presetId,
    timings: r.timings,
    rateLimit: r.rateLimit,
    preflight: r.preflight,
    diagnosis: r.diagnosis,
    identity: r.identity,
    warnings: r.warnings.map(clean),
    redirect: r.redirect ? { ...r.redirect, chain: r.redirect.chain.map((h) => ({ ...h, url: clean(h.url) })), notFollowed: r.redirect.notFollowed === null ? null : clean(r.redirect.notFollowed) } : null,
    redirects: r.redirects.map((h) => ({ ...h, location: clean(h.location) })),
    notes: r.notes.map(clean),
    contentType: r.contentType,
    bodyBytes: r.bodyBytes,
  };
}
