import { describe, expect, it } from 'vitest';
import { JsonPath, readJsonPath } from './json-path';

describe('JsonPath', () => {
  it.each(['data.accessToken', 'items[0].id', 'detail', 'data.user.email', 'a[0][1]'])('accepts %s', (p) => {
    expect(JsonPath.safeParse(p).success).toBe(true);
  });
  it.each(['', '.data', 'data.', 'data..x', 'data[x]', '[0]', 'a b'])('refuses %j', (p) => {
    expect(JsonPath.safeParse(p).success).toBe(false);
  });
});

describe('readJsonPath', () => {
  const body = { success: true, data: { accessToken: 'eyJ…', expiresIn: 3600, user: { email: 'u@x' }, list: [{ id: 1 }] } };

  it('reads nested fields and indexes', () => {
    expect(readJsonPath(body, 'data.accessToken')).toBe('eyJ…');
    expect(readJsonPath(body, 'data.expiresIn')).toBe(3600);
    expect(readJsonPath(body, 'data.list[0].id')).toBe(1);
  });

  it('is undefined for anything missing or of the wrong shape', () => {
    expect(readJsonPath(body, 'data.refreshToken')).toBeUndefined();
    expect(readJsonPath(body, 'data.list[3].id')).toBeUndefined();
    expect(readJsonPath(body, 'data.user[0]')).toBeUndefined();
    expect(readJsonPath(body, 'data.list.id')).toBeUndefined();
    expect(readJsonPath(null, 'data')).toBeUndefined();
    expect(readJsonPath('text', 'length')).toBeUndefined();
  });

  it('never follows inherited properties', () => {
    expect(readJsonPath({}, 'constructor')).toBeUndefined();
    expect(readJsonPath({ a: {} }, 'a.toString')).toBeUndefined();
  });
});
