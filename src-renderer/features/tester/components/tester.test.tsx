// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestResult } from '../../../../src-shared/ipc/contract';
import { apiError, installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { credential, environment, workspace } from '../../../test/fixtures';
import { useProvidersStore } from '../../../lib/providers-store';
import { formatDateTime, setDisplayTimeZone } from '../../../lib/format';
import { timingPhases } from '../lib/outcomes';
import { buildRequest, RequestDialog } from './request-dialog';
import { TestAllDialog } from './test-all';
import { TokenTester } from './token-tester';

afterEach(() => {
  cleanup();
  uninstallFakeApi();
  useProvidersStore.setState({ providers: [], status: 'idle', error: null });
});

const c = credential({ name: 'CFO integration', role: 'CFO' });
const ws = workspace({ name: 'Lumière', providerId: 'regate' });
const env = environment({ name: 'sandbox' });
const context = { credential: c, workspace: ws, environment: env };

function result(over: Partial<TestResult> = {}): TestResult {
  return {
    credentialId: c.id,
    presetId: 'list-users',
    method: 'GET',
    url: 'https://api.example/users',
    status: 200,
    classification: 'ok',
    explanation: '200 from Regate: the request succeeded',
    timings: { dnsMs: 2, connectMs: 5, tlsMs: 12, firstByteMs: 40, totalMs: 45 },
    headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '42' },
    bodyPreview: '{"data":[]}',
    bodyBytes: 11,
    bodyTruncated: false,
    contentType: 'application/json',
    rateLimit: { limit: 100, remaining: 42, resetAt: Date.now() + 60_000, retryAt: null, windowSeconds: null, sources: ['X-RateLimit'] },
    redirects: [],
    credentialSent: true,
    at: Date.now(),
    preflight: null,
    diagnosis: null,
    identity: { account: 'ana@lumiere.example', company: 'Holding Lumière' },
    warnings: [],
    redirect: null,
    notes: [],
    ...over,
  };
}

describe('Test', () => {
  it('runs the preset and shows the verdict, identity, timings, rate limit and history', async () => {
    const fake = installFakeApi({
      'credentials:test': () => result(),
      'tests:history': () => [{ at: Date.now(), outcome: 'ok', method: 'GET', path: '/users', status: 200, explanation: 'ok', totalMs: 45, rateLimitRemaining: 42 }],
    });
    render(<TokenTester context={context} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const region = await screen.findByRole('region', { name: 'Test result' });
    expect(fake.calls.find((x) => x.channel === 'credentials:test')?.input).toEqual({ id: c.id });
    expect(within(region).getByText('OK')).toBeTruthy();
    expect(region.textContent).toContain('HTTP 200');
    expect(region.textContent).toContain('Belongs to ana@lumiere.example · Holding Lumière');
    expect(within(region).getByRole('img').getAttribute('aria-label')).toBe('Total 45 ms: DNS 2 ms, Connect 3 ms, TLS 7 ms, First byte 28 ms, Download 5 ms');
    expect(within(region).getByRole('meter', { name: 'Requests left' }).getAttribute('aria-valuenow')).toBe('42');
    expect(await screen.findByRole('region', { name: 'Test history' })).toBeTruthy();
  });

  it('says a 401 in words, with the diagnosis', async () => {
    installFakeApi({
      'credentials:test': () =>
        result({ status: 401, classification: 'unauthorized', explanation: '401 from Regate: the token is missing, invalid, expired or revoked', diagnosis: { cause: 'revoked', message: 'the provider does not accept this token' } }),
      'tests:history': () => [],
    });
    render(<TokenTester context={context} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const region = await screen.findByRole('region', { name: 'Test result' });
    expect(within(region).getByText('Unauthorized')).toBeTruthy();
    expect(within(region).getByRole('note').textContent).toContain('The provider does not accept this token.');
  });

  it('shows a redirect to a login page as not OK, with the chain and whether the token went along', async () => {
    installFakeApi({
      'credentials:test': () =>
        result({
          classification: 'redirected',
          url: 'http://localhost:4000/login',
          explanation: 'Regate sent you to a login page (http://localhost:4000, 200 after 1 redirect): the token was not accepted as a session, and it was not sent on to http://localhost:4000.',
          credentialSent: false,
          redirect: {
            chain: [
              { url: 'https://api.example/users', status: 302, credentialSent: true },
              { url: 'http://localhost:4000/login', status: 200, credentialSent: false },
            ],
            stoppedBecause: 'left_origin',
            notFollowed: null,
            loginPage: true,
            explanation: 'Regate sent you to a login page',
          },
        }),
      'tests:history': () => [],
    });
    render(<TokenTester context={context} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const region = await screen.findByRole('region', { name: 'Test result' });
    expect(within(region).getByText('Redirected')).toBeTruthy();
    expect(within(region).queryByText('OK')).toBeNull();
    const chain = within(region).getByRole('region', { name: 'Redirect chain' });
    expect(chain.textContent).toContain('Not OK');
    const hops = within(chain).getAllByRole('listitem');
    expect(hops.map((h) => h.textContent)).toEqual(['302 https://api.example/users token sent', '200 http://localhost:4000/login token not sent']);
  });

  it('a token valid in another environment gets a "Move to sandbox" button', async () => {
    const sandboxId = 'env_00000000000000000042';
    installFakeApi({
      'credentials:test': () =>
        result({
          status: 401,
          classification: 'unauthorized',
          diagnosis: { cause: 'other_environment', message: 'valid in sandbox, rejected by production: this token belongs to sandbox.', environment: { id: sandboxId, name: 'sandbox', production: false } },
        }),
      'tests:history': () => [],
    });
    const moves: string[] = [];
    render(<TokenTester context={context} onMoveTo={(id) => moves.push(id)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const region = await screen.findByRole('region', { name: 'Test result' });
    fireEvent.click(within(region).getByRole('button', { name: 'Move to sandbox' }));
    expect(moves).toEqual([sandboxId]);
  });

  it('explains a request held back by a rate limit, with the time left', async () => {
    installFakeApi({
      'credentials:test': () => {
        const e = apiError('RATE_LIMITED', 'Held back: Regen Therapy asked to wait (Retry-After) — 30 s left. Nothing was sent.');
        e.payload.details = { retryAfterMs: 30_000 };
        throw e;
      },
      'tests:history': () => [],
    });
    render(<TokenTester context={context} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Held back');
    expect(alert.textContent).toMatch(/You can test again in (29|30) s\./);
  });

  // The main process's message is the CLI's ("--force", an ISO time); the app says the hold in its own words.
  const CLI_WORDS = 'Held back: Regate answered 429 and asked to wait (Retry-After) until 2031-03-01T13:05:00.000Z — 30 s left. Nothing was sent. Override with --force (or "Test anyway").';
  const RETRY_AT = Date.UTC(2031, 2, 1, 13, 5);

  it('says a hold in GUI words: the button to press and the local time in the Settings zone, never --force or an ISO time', async () => {
    setDisplayTimeZone('Europe/Paris');
    try {
      installFakeApi({
        'credentials:test': () => {
          const e = apiError('RATE_LIMITED', CLI_WORDS);
          e.payload.details = { retryAfterMs: 30_000, retryAt: RETRY_AT, status: 429, provider: 'Regate' };
          throw e;
        },
        'tests:history': () => [],
      });
      render(<TokenTester context={context} />);
      fireEvent.click(screen.getByRole('button', { name: 'Test' }));
      const alert = await screen.findByRole('alert');
      const text = alert.textContent ?? '';
      expect(text).toContain(`Held back: Regate answered 429 and asked to wait until ${formatDateTime(RETRY_AT, undefined, 'Europe/Paris')}. Nothing was sent.`);
      expect(formatDateTime(RETRY_AT, undefined, 'Europe/Paris')).toMatch(/2:05/); // 13:05 UTC is 14:05 in Paris
      expect(text).toContain('choose “Test anyway” to send it now');
      expect(within(alert).getByRole('button', { name: 'Test anyway' })).toBeTruthy();
      expect(text).not.toContain('--force');
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    } finally {
      setDisplayTimeZone(null);
    }
  });

  it('the request panel names its own button for a hold', async () => {
    installFakeApi({
      'checks:check': () => null,
      'requests:send': () => {
        const e = apiError('RATE_LIMITED', CLI_WORDS);
        e.payload.details = { retryAfterMs: 30_000, retryAt: RETRY_AT, status: 429, provider: 'Regate' };
        throw e;
      },
    });
    render(<RequestDialog context={context} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Path'), { target: { value: '/users' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('choose “Send despite the hold” to send it now');
    expect(within(alert).getByRole('button', { name: 'Send despite the hold' })).toBeTruthy();
    expect(alert.textContent).not.toContain('--force');
  });

  it('offers to test anyway during a hold, and sends with force', async () => {
    const fake = installFakeApi({
      'credentials:test': (i) => {
        if (i.force) return result();
        const e = apiError('RATE_LIMITED', 'Held back: Regen Therapy answered 429 and asked to wait (Retry-After). Nothing was sent.');
        e.payload.details = { retryAfterMs: 30_000 };
        throw e;
      },
      'tests:history': () => [],
    });
    render(<TokenTester context={context} />);
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    const alert = await screen.findByRole('alert');
    fireEvent.click(within(alert).getByRole('button', { name: 'Test anyway' }));
    expect(await screen.findByRole('region', { name: 'Test result' })).toBeTruthy();
    expect(fake.calls.filter((x) => x.channel === 'credentials:test').map((x) => x.input)).toEqual([{ id: c.id }, { id: c.id, force: true }]);
  });
});

describe('Request panel', () => {
  it('checks before sending: a denial warns, and Send anyway still sends', async () => {
    const fake = installFakeApi({
      'checks:check': (i) =>
        i.path.startsWith('/customers')
          ? { decision: 'denied', rule: 'Regate matrix: Treasurer × /customers allows nothing', allowedBy: ['CFO', 'Chief accountant'], endpoint: '/customers' }
          : { decision: 'allowed', rule: 'Regate matrix: Treasurer × /users allows GET', allowedBy: ['Treasurer'], endpoint: '/users' },
      'requests:send': () => result({ status: 403, classification: 'forbidden', explanation: '403 from Regate' }),
    });
    render(<RequestDialog context={context} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Path'), { target: { value: '/customers?limit=5' } });
    await waitFor(() => expect(screen.getByTestId('preflight').textContent).toContain('Denied by the documented model — allowed for: CFO, Chief accountant'));
    fireEvent.click(screen.getByRole('button', { name: 'Send anyway' }));
    expect(await screen.findByText('Forbidden')).toBeTruthy();
    expect(fake.calls.find((x) => x.channel === 'requests:send')?.input).toEqual({ credentialId: c.id, method: 'GET', path: '/customers?limit=5' });
  });

  it('asks to arm production before a write, and arms with the workspace name', async () => {
    const fake = installFakeApi({
      'checks:check': () => null,
      'environments:arm-status': () => ({ armedUntil: null }),
      'environments:arm': () => ({ armedUntil: Date.now() + 300_000 }),
    });
    render(<RequestDialog context={{ ...context, environment: { ...env, production: true } }} onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Method'), { target: { value: 'POST' } });
    fireEvent.click(screen.getByRole('button', { name: 'Arm production' }));
    fireEvent.change(screen.getByLabelText('Type the workspace name to arm production'), { target: { value: 'Lumière' } });
    fireEvent.click(screen.getByRole('button', { name: 'Arm' }));
    expect((await screen.findByRole('timer')).textContent).toMatch(/^[45]:\d\d$/);
    expect(fake.calls.find((x) => x.channel === 'environments:arm')?.input).toEqual({ environmentId: env.id, confirmName: 'Lumière' });
  });

  it('builds headers and a JSON body, and refuses what would not work', () => {
    expect(buildRequest('POST', '/x', [{ key: 0, name: 'X-Trace', value: '1' }], '{"a":1}')).toEqual({
      ok: true,
      headers: { 'X-Trace': '1', 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(buildRequest('GET', 'x', [], '')).toMatchObject({ ok: false });
    expect(buildRequest('POST', '/x', [], '{nope')).toMatchObject({ ok: false });
    expect(buildRequest('GET', '/x', [{ key: 0, name: 'Authorization', value: 'Bearer x' }], '')).toMatchObject({ ok: false });
  });
});

describe('Test all', () => {
  it('shows progress and per-row outcomes from the events, and a summary', async () => {
    const a = credential({ name: 'Alpha' });
    const b = credential({ name: 'Beta' });
    const fake = installFakeApi({
      'credentials:list': () => [a, b],
      'credentials:test-all': () => ({ runId: 'run1', total: 2 }),
      'tests:cancel': () => ({ cancelled: true }),
    });
    render(<TestAllDialog workspaceId="ws_x" environmentId="env_x" where="Acme / sandbox" onClose={() => undefined} />);
    const bar = await screen.findByRole('progressbar', { name: 'Tests done' });
    await waitFor(() => expect(bar.getAttribute('aria-valuemax')).toBe('2'));
    act(() => fake.emit('tests:progress', { runId: 'run1', done: 1, total: 2, credentialId: a.id, outcome: 'ok', explanation: 'fine', diagnosis: null }));
    expect(bar.getAttribute('aria-valuenow')).toBe('1');
    expect(screen.getAllByTestId('test-all-row')[0]!.textContent).toContain('OK');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    act(() => fake.emit('tests:progress', { runId: 'run1', done: 2, total: 2, credentialId: b.id, outcome: 'unauthorized', explanation: '401', diagnosis: null }));
    act(() => fake.emit('tests:finished', { runId: 'run1', done: 2, total: 2, cancelled: false }));
    expect(screen.getByRole('status').textContent).toBe('Finished. 2 tokens tested: 1 ok, 1 unauthorized.');
    await waitFor(() => expect(fake.calls.some((x) => x.channel === 'tests:cancel')).toBe(true));
  });

  it('a held-back row says the hold in GUI words (local time, what to do), not the CLI message', async () => {
    const a = credential({ name: 'Alpha' });
    const fake = installFakeApi({
      'credentials:list': () => [a],
      'credentials:test-all': () => ({ runId: 'run1', total: 1 }),
    });
    render(<TestAllDialog workspaceId="ws_x" environmentId="env_x" where="Acme / sandbox" onClose={() => undefined} />);
    const bar = await screen.findByRole('progressbar', { name: 'Tests done' });
    await waitFor(() => expect(bar.getAttribute('aria-valuemax')).toBe('1'));
    const retryAt = Date.UTC(2031, 2, 1, 13, 5);
    act(() =>
      fake.emit('tests:progress', {
        runId: 'run1',
        done: 1,
        total: 1,
        credentialId: a.id,
        outcome: 'held_back',
        explanation: 'Held back: Regate answered 429 and asked to wait (Retry-After) until 2031-03-01T13:05:00.000Z — 30 s left. Nothing was sent. Override with --force (or "Test anyway").',
        diagnosis: null,
        hold: { provider: 'Regate', status: 429, retryAt },
      }),
    );
    const row = screen.getAllByTestId('test-all-row')[0]!.textContent ?? '';
    expect(row).toContain(`Regate answered 429 and asked to wait until ${formatDateTime(retryAt)}.`);
    expect(row).toContain('open the token and choose “Test anyway”');
    expect(row).not.toContain('--force');
    expect(row).not.toContain('2031-03-01T');
  });
});

describe('timings', () => {
  it('turns end marks into step durations and skips steps that did not happen', () => {
    expect(timingPhases({ dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: 9, totalMs: 10 }).map((p) => [p.key, p.ms])).toEqual([
      ['wait', 9],
      ['download', 1],
    ]);
  });
});
