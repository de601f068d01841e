import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type Result } from '../../src-shared/errors';
import { CHANNELS } from '../../src-shared/ipc/contract';
import { BUILTIN_DEFINITION_SOURCES } from '../../src-shared/providers/builtin';
import { parseProviderDefinition } from '../../src-shared/providers/schema';
import { startBrowserMode, type BrowserModeServer } from '../browser-mode/server';
import { runCli } from '../cli/test-cli';
import { dispatch } from '../ipc/dispatch';
import { createHandlers, type Handlers } from '../ipc/handlers';
import { createAppServices, type AppServices } from '../services/app-services';
import { MemoryKeyStore } from '../vault/keychain';
import { rawDb, tempHome } from '../vault/test-support';

/**
 * Issue 15, boundary fuzzing (fast-check): every importer with mutated sample
 * files, the provider-definition loader with mutated definitions, every
 * browser-mode endpoint with generated requests, and the CLI with generated
 * argument lists. Each call ends in a typed answer (no crash, no unhandled
 * rejection), and a refused call leaves the vault as it was: a digest of
 * every table of the database file, before and after.
 * (Every IPC channel with generated payloads: src-main/ipc/dispatch.test.ts.)
 */

const root = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'services', 'import', 'fixtures');
const PASS = 'correct horse battery staple';
/** `npm run test:stress` runs many more generated cases. */
const RUNS = process.env.TOKENVAULT_STRESS ? 10 : 1;

let home: string;
let data: string;
let services: AppServices;
let handlers: Handlers;
let server: BrowserModeServer;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

/** sha256 of every row of every table in the database file (through a second connection). */
function vaultDigest(): string {
  const raw = rawDb(data, { readonly: true });
  try {
    const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const h = createHash('sha256');
    for (const t of tables) {
      h.update(`\0${t}\0`);
      for (const row of raw.prepare(`SELECT * FROM "${t}"`).raw().iterate() as IterableIterator<unknown[]>) {
        for (const v of row) h.update(Buffer.isBuffer(v) ? v : `${typeof v}:${String(v)}\u0001`);
      }
    }
    return h.digest('hex');
  } finally {
    raw.close();
  }
}

function expectTyped(r: Result<unknown>, what: string) {
  expect(typeof r.ok, what).toBe('boolean');
  if (!r.ok) {
    expect(ERROR_CODES, `${what}: ${r.error.code}`).toContain(r.error.code);
    expect(r.error.code, `${what}: ${r.error.message}`).not.toBe('INTERNAL');
    expect(r.error.message, what).not.toMatch(/\n\s+at /);
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  home = tempHome();
  data = join(home, 'data');
  services = createAppServices({ home: data, keyStore: new MemoryKeyStore(), shell: 'browser' });
  handlers = createHandlers(services);
  await services.vault.init({ keySource: 'passphrase', passphrase: PASS });
  const ws = services.vault.addWorkspace({ name: 'Acme' });
  // Loopback, on a port nothing listens on: a fuzzed call that reaches the engine fails fast and sends nothing off this machine.
  const env = services.vault.addEnvironment({ workspaceId: ws.id, name: 'local', baseUrl: 'http://127.0.0.1:9' });
  services.vault.addCredential({ environmentId: env.id, name: 'ci', kind: 'bearer', secret: { value: 'tok_fuzz_0123456789abcdef' } });
  services.vault.flush();
}, 120_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server?.close();
  services?.close();
  rmSync(home, { recursive: true, force: true });
});

/** Mutations of a text: flipped bytes, cuts, inserted junk, a slice repeated. */
const mutation = (len: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: Math.max(0, len - 1) }), mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: len }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: len }), text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', '}', '"', '\\u0000', '\n', ':', '[', '---', '${', '%', '\uFFFF', '\uD800')) }),
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat({ max: len }), n: fc.integer({ min: 1, max: 200 }) }),
  );
type Mutation = { kind: 'flip'; at: number; mask: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; text: string } | { kind: 'repeat'; at: number; n: number };

function mutate(text: string, ms: Mutation[]): string {
  let s = text;
  for (const m of ms) {
    const at = Math.min(m.at, s.length);
    if (m.kind === 'flip') s = s.slice(0, at) + String.fromCharCode((s.charCodeAt(at) || 32) ^ m.mask) + s.slice(at + 1);
    else if (m.kind === 'cut') s = s.slice(0, at);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else s = s.slice(0, at) + s.slice(at, at + m.n).repeat(3) + s.slice(at);
  }
  return s;
}

describe('importers with mutated sample files', () => {
  const samples = readdirSync(FIXTURES)
    .filter((f) => statSync(join(FIXTURES, f)).isFile() && f !== 'notes.txt')
    .map((f) => ({ name: f, text: readFileSync(join(FIXTURES, f), 'utf8') }));

  it('each mutation is previewed or refused with a typed error; a refused apply changes nothing', async () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
    let refused = 0;
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.constantFrom('auto', 'dotenv', 'postman', 'insomnia', 'openapi', 'tokenvault'),
        fc.array(mutation(4000), { minLength: 1, maxLength: 4 }),
        async (sample, format, ms) => {
          const input = { fileName: sample.name, text: mutate(sample.text, ms), format, workspace: 'Fuzzed', env: 'local' };
          expectTyped(await dispatch(handlers, 'import:preview', input), `preview ${sample.name}`);
          const before = vaultDigest();
          const r = await dispatch(handlers, 'import:apply', input);
          expectTyped(r, `apply ${sample.name}`);
          if (r.ok) applied++;
          else {
            refused++;
            expect(vaultDigest(), `a refused import of mutated ${sample.name} changed the vault`).toBe(before);
          }
        },
      ),
      { numRuns: 40 * RUNS },
    );
    expect(refused).toBeGreaterThan(0);
    expect(refused + applied).toBe(40 * RUNS);
  });
});

describe('provider-definition loader with mutated definitions', () => {
  const sources = BUILTIN_DEFINITION_SOURCES.map((d) => ({ ...d, id: `fuzz-${d.id}` }));
  /** Replaces, deletes or retypes the value at a random path of a definition. */
  function mutateTree(value: unknown, path: number[], replacement: unknown, del: boolean): unknown {
    if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
    const keys = Object.keys(value);
    if (keys.length === 0) return replacement;
    const k = keys[path[0]! % keys.length]!;
    const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
    if (del && path.length === 1) delete copy[k];
    else copy[k] = mutateTree((value as Record<string, unknown>)[k], path.slice(1), replacement, del);
    return copy;
  }

  it('parses or lists every problem with its path; never throws; a refused add changes nothing', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 5 }),
        fc.anything({ maxDepth: 2 }),
        fc.boolean(),
        fc.boolean(),
        async (def, path, replacement, del, asText) => {
          const mutated = mutateTree(def, path, replacement, del);
          let text: string;
          try {
            text = JSON.stringify(mutated) ?? 'null';
          } catch {
            return; // fast-check may generate what JSON cannot hold (a BigInt).
          }
          const parsed = parseProviderDefinition(asText ? text : JSON.parse(text));
          if (!parsed.ok) {
            expect(parsed.errors.length).toBeGreaterThan(0);
            for (const e of parsed.errors) expect(typeof e.path === 'string' && typeof e.reason === 'string').toBe(true);
          }
          const before = vaultDigest();
          const providerFiles = () => JSON.stringify(readdirSafe(join(data, 'providers')));
          const filesBefore = providerFiles();
          const r = await dispatch(handlers, 'providers:add', { json: text });
          expectTyped(r, 'providers:add');
          if (!r.ok) {
            refused++;
            expect(vaultDigest()).toBe(before);
            expect(providerFiles()).toBe(filesBefore);
          }
        },
      ),
      { numRuns: 80 * RUNS },
    );
    expect(refused).toBeGreaterThan(0);
  });
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

describe('browser-mode endpoints with generated requests', () => {
  beforeAll(async () => {
    const staticDir = join(home, 'renderer');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tokenvault</title>');
    server = await startBrowserMode({ services, staticDir });
  });

  function send(opts: { method: string; path: string; headers: Record<string, string>; body: Buffer }): Promise<{ status: number; body: string }> {
    const { port } = new URL(server.origin);
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(port), method: opts.method, path: opts.path, headers: opts.headers, agent: false }, (res) => {
        // An accepted event stream never ends: its status is the answer.
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: 200, body: '' });
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  it('every API path, method, content type and body gets a typed JSON answer or a refusal status; refused calls change nothing', async () => {
    const channels = CHANNELS.filter((c) => c !== 'vault:lock' && c !== 'vault:create');
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.anything({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
      fc.constant(Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x7b])),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(...channels).map((c) => `/api/invoke/${c}`),
          fc.string({ maxLength: 30 }).map((s) => `/api/invoke/${encodeURIComponent(s)}`),
          fc.constantFrom('/api/invoke/', '/api/invoke/%00', '/api/invoke/..%2f..%2fetc', '/api/x', '/api/events?x=%ff'),
        ),
        fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE'),
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
        body,
        async (path, method, contentType, payload) => {
          const before = vaultDigest();
          const r = await send({ method, path, headers: { host: new URL(server.origin).host, 'content-type': contentType, 'x-tokenvault-session': server.secret }, body: method === 'GET' ? Buffer.alloc(0) : payload });
          if (path.startsWith('/api/events') && r.status === 200) return;
          expect(r.status, `${method} ${path}`).not.toBe(500);
          statuses.add(r.status);
          if (r.status === 200) return;
          expect([400, 404, 405, 413, 415], `${method} ${path} → ${r.status}`).toContain(r.status);
          // A refusal by the guard is `{ error: reason }`; anything past it is a typed Result.
          const parsed = JSON.parse(r.body) as Result<unknown> | { error: string };
          if ('ok' in parsed) expectTyped(parsed, `${method} ${path}`);
          else expect(typeof parsed.error, `${method} ${path}`).toBe('string');
          expect(vaultDigest(), `${method} ${path} (${r.status}) changed the vault`).toBe(before);
        },
      ),
      { numRuns: 120 * RUNS },
    );
    // Both sides of the guard were reached: answered calls and refusals.
    expect(statuses.has(200) || statuses.has(400)).toBe(true);
    expect([...statuses].some((x) => x >= 404)).toBe(true);
    expect(unhandled).toEqual([]);
  });
});

describe('the CLI with generated argument lists', () => {
  it('each ends with exit 0, 1 or 2 and a typed error, never a stack trace; a failed command changes nothing', async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-node.mjs')], { cwd: root });
    const unlocked = await runCli(['unlock', '--for', '30m', '--json'], { TOKENVAULT_HOME: data, TOKENVAULT_PASSPHRASE_FILE: (writeFileSync(join(home, 'p'), PASS), join(home, 'p')) });
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const env = { TOKENVAULT_HOME: data, TOKENVAULT_SESSION: unlocked.json().session, TOKENVAULT_PASSPHRASE_FILE: '' };
    // Commands that start servers or other programs, or write files (--ics, --output), are left out; so are
    // `test` and `revoke`, whose failure is itself a recorded result (test history, audit), not "nothing changed".
    const words = ['token', 'workspace', 'env', 'audit', 'check', 'due', 'provider', 'import', 'export', 'backup', 'restore', 'rotate', 'search', 'status', 'list', 'add', 'rm', 'edit', 'reveal', 'show', 'mv', 'rename', 'nope'];
    const flags = ['--json', '--verify', '--all', '--kind', '--within', '--for', '--yes', '--dry-run', '--format', '--workspace', '--env', '--method', '--path', '--body', '--port', '--scopes', '--rotate-every', '--', '-x', '--no-such-flag'];
    const values = fc.oneof(fc.constantFrom('Acme', 'Acme/local/ci', 'bearer', '30d', '-1', '0', '99999999999999999999', '', '../../etc/passwd', '%s%n', '\u0000', 'x'.repeat(300)), fc.string({ maxLength: 20 }));
    const argv = fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...flags), values), { minLength: 1, maxLength: 7 }).filter((a) => !a.some((x) => x.includes('\u0000')));
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const before = vaultDigest();
        const r = await runCli([...args, '--json'], env);
        const what = `tokenvault ${JSON.stringify(args)}: exit ${r.code}; ${r.stderr.slice(0, 300)}`;
        expect([0, 1, 2], what).toContain(r.code);
        expect(r.stderr, what).not.toMatch(/\n\s+at |TypeError|ReferenceError|INTERNAL/);
        if (r.code !== 0) {
          failed++;
          if (!args.includes('--')) {
            // The error is the last JSON document on standard output (pretty-printed).
            const out = r.stdout.slice(Math.max(0, r.stdout.lastIndexOf('\n{\n') + 1));
            expect(ERROR_CODES, what).toContain((JSON.parse(out) as { error: { code: string } }).error.code);
          }
          expect(vaultDigest(), what).toBe(before);
        }
      }),
      { numRuns: 8 * RUNS },
    );
    expect(failed).toBeGreaterThan(0);
  }, 600_000);
});
