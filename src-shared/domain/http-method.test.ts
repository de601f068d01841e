import { describe, expect, it } from 'vitest';
import { HttpMethodSchema, isSafeMethod, parseHttpMethod } from './http-method';

describe('HTTP methods', () => {
  it('parses case-insensitively', () => {
    expect(parseHttpMethod(' get ')).toBe('GET');
    expect(parseHttpMethod('Patch')).toBe('PATCH');
    expect(parseHttpMethod('GTE')).toBeNull();
    expect(HttpMethodSchema.parse('delete')).toBe('DELETE');
    expect(HttpMethodSchema.safeParse('FETCH').error?.issues[0]?.message).toBe(
      'must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    );
  });

  it('knows which methods are safe', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every((m) => isSafeMethod(parseHttpMethod(m)!))).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].some((m) => isSafeMethod(parseHttpMethod(m)!))).toBe(false);
  });
});
