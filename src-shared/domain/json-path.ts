import * as z from 'zod';
import { lazy } from './lazy';

/**
 * Where a value sits in a JSON response: `data.accessToken`, `items[0].id`.
 * Deliberately tiny (dots and array indexes): definitions name fields of a
 * documented response, they do not query it.
 */
const JSON_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*$/;

export const JsonPath = lazy(() => z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(JSON_PATH, 'must be a JSON path such as data.accessToken or items[0].id'));

type Step = string | number;

function steps(path: string): Step[] {
  const out: Step[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  }
  return out;
}

/**
 * The value at a path, or undefined. Only own properties are followed, so a
 * response cannot steer the lookup into `__proto__` or `constructor`.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of steps(path)) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return undefined;
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
