import type * as z from 'zod';
import { VaultError } from '../../src-shared/errors';

/**
 * zod's default words for the two problems a person meets most, in the form
 * every message here takes (`PATH must …`): a value outside a list says the
 * list (`must be one of bearer, api_key, jwt_session`), a missing field `is
 * required`. A schema's own message wins over these; anything else keeps zod's.
 */
const plainWords: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_value' && iss.values.length > 0 && iss.values.every((x) => typeof x === 'string' || typeof x === 'number')) {
    return iss.values.length === 1 ? `must be ${String(iss.values[0])}` : `must be one of ${iss.values.join(', ')}`;
  }
  if (iss.code === 'invalid_type' && iss.input === undefined) return 'is required';
  return undefined;
};

/** Parses with a schema or throws VALIDATION listing every problem with its field path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, rootName?: string): z.output<S> {
  const result = schema.safeParse(input, { error: plainWords });
  if (result.success) return result.data;
  const pathOf = (parts: PropertyKey[]) => [rootName, ...parts.map(String)].filter(Boolean).join('.') || '(input)';
  const issues = result.error.issues.flatMap((i) =>
    // zod reports unknown keys once, at the object that holds them; name each key
    // instead, so a caller (a form, a CLI flag) can point at the field at fault.
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: pathOf([...i.path, k]), message: 'is not a known field' }))
      : [{ path: pathOf(i.path), message: i.message }],
  );
  const first = issues[0]!;
  const message =
    issues.length === 1
      ? `${first.path} ${first.message}`
      : `${issues.length} problems: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
  throw new VaultError('VALIDATION', message, { issues });
}
