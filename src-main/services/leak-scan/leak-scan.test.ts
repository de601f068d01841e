import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempVault, tempHome, type TempVault } from '../../vault/test-support';
import { runLeakScan, type ScanReport } from './leak-scan';
import { MAX_SCAN_BYTES } from './scanner';

// The leak scanner against real files and a real git repository.
const A = 'sk_live_Leak0123456789abcdefABCDEF';
const B = 'ghp_AnotherStoredToken987654321xyz';
const SHORT = 'abc1234'; // below the minimum length: never looked for
let t: TempVault;
let dir: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=T', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

beforeAll(async () => {
  t = openTempVault();
  await t.vault.init({ keySource: 'keychain' });
  const ws = t.vault.addWorkspace({ name: 'Acme' });
  const env = t.vault.addEnvironment({ workspaceId: ws.id, name: 'production', baseUrl: 'https://api.example.com', production: true });
  t.vault.addCredential({ environmentId: env.id, name: 'sales', kind: 'bearer', secret: { value: A } });
  t.vault.addCredential({ environmentId: env.id, name: 'gh', kind: 'bearer', secret: { value: B } });
  t.vault.addCredential({ environmentId: env.id, name: 'tiny', kind: 'bearer', secret: { value: SHORT } });
  dir = tempHome();
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function files(root: string, map: Record<string, string | Buffer>) {
  for (const [name, content] of Object.entries(map)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

const where = (r: ScanReport) => r.findings.map((f) => `${f.commit ? `${f.commit}:` : ''}${f.path}:${f.line}:${f.column}:${f.token.name}`).sort();

describe('tokenvault scan', () => {
  it('finds tokens at the very start and end of files, in a file that is only the token, and in long lines', async () => {
    const root = join(dir, 'bounds');
    const long = `${'x'.repeat(100_000)}${A}${'y'.repeat(100_000)}`;
    files(root, { 'start.txt': `${A} is here\n`, 'end.txt': `line one\nkey=${B}`, 'only.txt': A, 'long.txt': `first\n${long}\n`, 'utf8.txt': `é€😀=${A}\n` });
    const r = await runLeakScan(t.vault, { kind: 'paths', paths: [root], noIgnore: false });
    expect(where(r)).toEqual(
      [`${root}/end.txt:2:5:gh`, `${root}/long.txt:2:100001:sales`, `${root}/only.txt:1:1:sales`, `${root}/start.txt:1:1:sales`, `${root}/utf8.txt:1:6:sales`].sort(),
    );
    expect(r.findings[0]!.token).toMatchObject({ workspace: 'Acme', environment: 'production' });
    expect(r.scanned.files).toBe(5);
    // Never the value, only its fingerprint.
    expect(JSON.stringify(r)).not.toContain(A);
    expect(JSON.stringify(r)).not.toContain(B);
  });

  it('reports no near misses: one character different, a prefix, the value cut short, a short stored value', async () => {
    const root = join(dir, 'near');
    const oneOff = `${A.slice(0, 12)}${A[12] === 'X' ? 'Y' : 'X'}${A.slice(13)}`;
    files(root, {
      'a.txt': `${oneOff}\n${A.slice(0, 20)}\n${B.slice(0, -1)}\n${A.slice(1)}\n`,
      'b.txt': `${SHORT} ${SHORT}\n`,
    });
    const r = await runLeakScan(t.vault, { kind: 'paths', paths: [root], noIgnore: false });
    expect(r.findings).toEqual([]);
    expect(r.tokensSearched).toBe(2);
  });

  it('skips binary and huge files (counted), honours .gitignore unless told not to', async () => {
    const root = join(dir, 'ign');
    files(root, {
      '.gitignore': 'secret.env\nbuild/\n',
      'secret.env': A,
      'build/out.js': A,
      'sub/.gitignore': '*.log\n!keep.log\n',
      'sub/x.log': A,
      'sub/keep.log': A,
      'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(A)]),
      'huge.txt': Buffer.concat([Buffer.from(A), Buffer.alloc(MAX_SCAN_BYTES, 0x61)]),
    });
    const r = await runLeakScan(t.vault, { kind: 'paths', paths: [root], noIgnore: false });
    expect(where(r)).toEqual([`${root}/sub/keep.log:1:1:sales`]);
    expect(r.skipped.binary).toBe(1);
    expect(r.skipped.huge).toBe(1);
    const all = await runLeakScan(t.vault, { kind: 'paths', paths: [root], noIgnore: true });
    expect(all.findings).toHaveLength(4);
  });

  it('looks through every blob of the git history and names the commit that added it', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    files(repo, { 'config.js': `const key = "${A}";\n`, 'README.md': 'hello\n' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'add config');
    const first = git(repo, 'rev-parse', 'HEAD');
    files(repo, { 'config.js': 'const key = process.env.KEY;\n' });
    git(repo, 'commit', '-qam', 'remove the key');
    // The working tree is clean now, the history is not.
    expect((await runLeakScan(t.vault, { kind: 'paths', paths: [repo], noIgnore: false })).findings).toEqual([]);
    const r = await runLeakScan(t.vault, { kind: 'history', repo });
    expect(where(r)).toEqual([`${first}:config.js:1:14:sales`]);
  });

  it('--staged looks at the index, not the working tree', async () => {
    const repo = join(dir, 'staged');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    files(repo, { 'a.txt': `token ${B}\n`, 'b.txt': 'clean\n' });
    git(repo, 'add', 'a.txt', 'b.txt');
    // Changed after staging: the working tree holds A, the index still B (a.txt) and nothing (b.txt).
    files(repo, { 'b.txt': A });
    const r = await runLeakScan(t.vault, { kind: 'staged', repo });
    expect(where(r)).toEqual(['a.txt:1:7:gh']);
    expect(r.findings[0]!.staged).toBe(true);
  });
});
