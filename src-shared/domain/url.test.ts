import { describe, expect, it } from 'vitest';
import { parseUrl } from './url';
import { BaseUrl } from './schemas';

describe('parseUrl', () => {
  it('parses absolute URLs and refuses the rest', () => {
    expect(parseUrl('https://api.example.com/v1?x=1')?.pathname).toBe('/v1');
    expect(parseUrl('/relative')).toBeNull();
    expect(parseUrl('not a url')).toBeNull();
  });

  it('still backs BaseUrl: canonical form, https only outside loopback', () => {
    expect(BaseUrl.parse('https://web.builtaccounting.com/')).toBe('https://web.builtaccounting.com');
    expect(BaseUrl.parse('http://127.0.0.1:8080/api/')).toBe('http://127.0.0.1:8080/api');
    expect(BaseUrl.safeParse('http://example.com').success).toBe(false);
    expect(BaseUrl.safeParse('nope').success).toBe(false);
  });
});
