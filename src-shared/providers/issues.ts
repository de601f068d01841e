import type * as z from 'zod';
import type { ErrorPayload } from '../errors';

/** One problem in a definition file: where (`auth[0].headerName`) and what is wrong with it. */
export interface DefinitionIssue {
  path: string;
  reason: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['auth', 0, 'headerName']` → `auth[0].headerName`; odd keys are quoted: `allow["Manager (invoices)"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else {
      const key = String(step);
      out += IDENTIFIER.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

// Zod's own wording starts like this; any other message was written for the field and is kept.
const ZOD_DEFAULT = /^(Invalid |Too small|Too big|Unrecognized key)/;

/** Zod's issues in the words a person fixing a file needs; one entry per problem. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): DefinitionIssue[] {
  return issues.flatMap((issue): DefinitionIssue[] => {
    const at = (extra: PropertyKey[] = []) => formatPath([...issue.path, ...extra]);
    if (!ZOD_DEFAULT.test(issue.message)) return [{ path: at(), reason: issue.message }];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: at([key]), reason: 'is not a known field' }));
      case 'invalid_type':
        return [{ path: at(), reason: / received undefined$/.test(issue.message) ? 'is required' : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}` }];
      case 'invalid_value':
        return [{ path: at(), reason: `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}` }];
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options;
        if (Array.isArray(options) && options.length) {
          return [{ path: at(), reason: `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}` }];
        }
        return [{ path: at(), reason: 'is not valid here' }];
      }
      case 'too_small':
      case 'too_big': {
        const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
        const small = issue.code === 'too_small';
        if (issue.origin === 'array') {
          return [{ path: at(), reason: small ? (bound === 1 ? 'must not be empty' : `must have at least ${bound} items`) : `must have at most ${bound} items` }];
        }
        if (issue.origin === 'string') {
          return [{ path: at(), reason: small ? (bound === 1 ? 'must not be empty' : `must be at least ${bound} characters`) : `must be at most ${bound} characters` }];
        }
        return [{ path: at(), reason: `must be ${small ? 'at least' : 'at most'} ${bound}` }];
      }
      default:
        return [{ path: at(), reason: issue.message }];
    }
  });
}

/** The VALIDATION payload the IPC layer and the CLI send for a refused definition. */
export function definitionIssuesPayload(issues: readonly DefinitionIssue[]): ErrorPayload {
  const list = issues.map((i) => `${i.path} ${i.reason}`);
  return {
    code: 'VALIDATION',
    message: issues.length === 1 ? `The provider definition is invalid: ${list[0]}.` : `The provider definition has ${issues.length} problems: ${list.join('; ')}.`,
    issues: issues.map((i) => ({ path: i.path, message: i.reason })),
  };
}
