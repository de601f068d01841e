import { describe, expect, it } from 'vitest';
import {
  bestMatch,
  compilePathTemplate,
  fillPathTemplate,
  matchPathTemplate,
  normalizeRequestPath,
  parsePathTemplate,
  pathIsWithin,
  PathTemplateSchema,
  templateShape,
} from './path-template';
import { isVaultError } from '../errors';

describe('parsePathTemplate', () => {
  it('reads both parameter styles', () => {
    const braces = parsePathTemplate('/analytical_plans/{plan_id}/cost_centers');
    expect(braces.ok && braces.template.segments).toEqual([
      { kind: 'literal', text: 'analytical_plans' },
      { kind: 'param', name: 'plan_id' },
      { kind: 'literal', text: 'cost_centers' },
    ]);
    const colon = parsePathTemplate('/admin/api-tokens/:id/regenerate');
    expect(colon.ok && colon.template.segments[2]).toEqual({ kind: 'param', name: 'id' });
  });

  it.each([
    ['sales_invoices', 'must start with "/"'],
    ['/a?x=1', 'must not contain a query string or fragment'],
    ['/a#top', 'must not contain a query string or fragment'],
    ['/a b', 'must not contain spaces'],
    ['/a//b', 'must not contain an empty segment ("//")'],
    ['/a/{}', 'parameter "{}" must be named like {plan_id} or :id'],
    ['/a/{1x}', 'parameter "{1x}" must be named like {plan_id} or :id'],
    ['/a/x{id}', 'segment "x{id}": a parameter must fill a whole segment, like {id}'],
    ['/a/{id}/b/:id', 'parameter "id" appears twice'],
  ])('refuses %s', (source, reason) => {
    expect(parsePathTemplate(source)).toEqual({ ok: false, reason });
  });

  it('accepts the root and a trailing slash', () => {
    expect(parsePathTemplate('/').ok).toBe(true);
    expect(parsePathTemplate('/api/accounts/user-config/').ok).toBe(true);
  });

  it('backs a zod field', () => {
    expect(PathTemplateSchema.safeParse('/x/{id}').success).toBe(true);
    expect(PathTemplateSchema.safeParse('x').error?.issues[0]?.message).toBe('must start with "/"');
  });

  it('compilePathTemplate throws a VALIDATION error for a bad template', () => {
    try {
      compilePathTemplate('nope');
      expect.unreachable();
    } catch (e) {
      expect(isVaultError(e) && e.code).toBe('VALIDATION');
    }
  });
});

describe('normalizeRequestPath', () => {
  it.each([
    ['/sales_invoices?page=2', '/sales_invoices'],
    ['/sales_invoices/', '/sales_invoices'],
    ['/sales_invoices/#x', '/sales_invoices'],
    ['sales_invoices', '/sales_invoices'],
    ['https://gateway.regentherapy.com/api/v1/orders?limit=1', '/api/v1/orders'],
    ['http://127.0.0.1:4000', '/'],
    ['/', '/'],
    ['', '/'],
    ['/a?next=/b/', '/a'],
    ['/plans/../users', '/users'],
    ['/plans/42/./items/', '/plans/42/items'],
    ['/a/%2E%2e/b', '/b'],
    ['/a/.%2e/b', '/b'],
    ['/../../x', '/x'],
    ['/a\\..\\b', '/b'],
    ['https://h.example\\users', '/users'],
    ['/a//b', '/a//b'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRequestPath(input)).toBe(expected);
  });
});

describe('matchPathTemplate', () => {
  const t = '/analytical_plans/{plan_id}/cost_centers';

  it('fills parameters', () => {
    expect({ ...matchPathTemplate(t, '/analytical_plans/42/cost_centers') }).toEqual({ plan_id: '42' });
  });

  it('ignores query strings and trailing slashes, on either side', () => {
    expect(matchPathTemplate(t, '/analytical_plans/42/cost_centers/?page=3')).not.toBeNull();
    expect(matchPathTemplate('/api/accounts/user-config/', '/api/accounts/user-config')).not.toBeNull();
    expect(matchPathTemplate('/api/accounts/user-config', '/api/accounts/user-config/')).not.toBeNull();
  });

  it('cannot be fooled by dot segments the URL parser would resolve', () => {
    expect(matchPathTemplate(t, '/analytical_plans/../cost_centers')).toBeNull();
    expect(matchPathTemplate(t, '/analytical_plans/%2e%2e/cost_centers')).toBeNull();
    expect(matchPathTemplate(t, '/x/../analytical_plans/1/cost_centers')).not.toBeNull();
  });

  it('does not match other shapes', () => {
    expect(matchPathTemplate(t, '/analytical_plans/cost_centers')).toBeNull();
    expect(matchPathTemplate(t, '/analytical_plans/42/cost_centers/7')).toBeNull();
    expect(matchPathTemplate(t, '/analytical_plans//cost_centers')).toBeNull();
    expect(matchPathTemplate('/users', '/Users')).toBeNull();
    expect(matchPathTemplate('/users', '/users/1')).toBeNull();
  });

  it('gives parameters without a prototype, so a segment named __proto__ is just data', () => {
    const params = matchPathTemplate('/x/{id}', '/x/__proto__')!;
    expect(params.id).toBe('__proto__');
    expect(Object.getPrototypeOf(params)).toBeNull();
  });
});

describe('pathIsWithin', () => {
  it('covers the path and what lies beneath it, segment-wise', () => {
    expect(pathIsWithin('/api/v1/orders', '/api/v1/orders')).toBe(true);
    expect(pathIsWithin('/api/v1/orders', '/api/v1/orders/ord_1/items?x=1')).toBe(true);
    expect(pathIsWithin('/api/v1/orders', '/api/v1/orders-archive')).toBe(false);
    expect(pathIsWithin('/api/v1/orders', '/api/v1')).toBe(false);
  });
});

describe('bestMatch', () => {
  const rows = ['/users/{id}', '/users/me', '/users'].map((source) => ({ source, t: compilePathTemplate(source) }));

  it('prefers literal segments over parameters', () => {
    expect(bestMatch(rows, (r) => r.t, '/users/me')?.candidate.source).toBe('/users/me');
    expect(bestMatch(rows, (r) => r.t, '/users/42')?.candidate.source).toBe('/users/{id}');
    expect(bestMatch(rows, (r) => r.t, '/users')?.candidate.source).toBe('/users');
    expect(bestMatch(rows, (r) => r.t, '/groups')).toBeNull();
  });
});

describe('templateShape', () => {
  it('is the same for equivalent templates', () => {
    expect(templateShape('/a/{id}/')).toBe(templateShape('/a/:plan'));
    expect(templateShape('/')).toBe('/');
  });
});

describe('fillPathTemplate', () => {
  it('fills and encodes parameters, keeping a trailing slash', () => {
    expect(fillPathTemplate('/admin/api-tokens/:id/regenerate', { id: 7 })).toBe('/admin/api-tokens/7/regenerate');
    expect(fillPathTemplate('/x/{id}/', { id: 'a/b c' })).toBe('/x/a%2Fb%20c/');
    expect(fillPathTemplate('/', {})).toBe('/');
  });

  it('refuses a missing or empty value', () => {
    expect(() => fillPathTemplate('/x/{id}', {})).toThrow('needs a value for id');
    expect(() => fillPathTemplate('/x/{id}', { id: '' })).toThrow('must not be empty');
    // An inherited property is not a value.
    expect(() => fillPathTemplate('/x/{toString}', {})).toThrow('needs a value for toString');
  });
});
