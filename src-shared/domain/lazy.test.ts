import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lazy } from './lazy';

describe('lazy (issue 11: schemas built on first use)', () => {
  it('builds nothing until first used, then once', () => {
    let built = 0;
    const S = lazy(() => {
      built++;
      return z.string().min(2);
    });
    expect(built).toBe(0);
    expect(S.parse('ab')).toBe('ab');
    expect(S.safeParse('a').success).toBe(false);
    expect(built).toBe(1);
  });

  it('behaves as the schema inside other schemas, spreads and instanceof', () => {
    const Name = lazy(() => z.string().trim().min(1));
    const Fields = lazy(() => ({ name: Name, age: z.number().int().optional() }));
    const Person = lazy(() => z.strictObject({ ...Fields, id: z.string() }));
    const Patch = lazy(() => Person.partial().extend({ note: Name.optional() }));
    const Kind = lazy(() => z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('a'), name: Name }), z.strictObject({ kind: z.literal('b') })]));

    expect(Person.parse({ name: ' Ann ', id: 'x' })).toEqual({ name: 'Ann', id: 'x' });
    expect(Person.safeParse({ name: '', id: 'x' }).success).toBe(false);
    expect(Person.safeParse({ name: 'a', id: 'x', extra: 1 }).success).toBe(false);
    expect(Patch.parse({ note: ' n ' })).toEqual({ note: 'n' });
    expect(Kind.parse({ kind: 'a', name: 'z' })).toEqual({ kind: 'a', name: 'z' });
    expect(Name instanceof z.ZodType).toBe(true);
    expect(Object.keys(Person.shape).sort()).toEqual(['age', 'id', 'name']);
    expect('parse' in Name).toBe(true);
  });
});
