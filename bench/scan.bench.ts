import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLeakScan } from '../src-main/services/leak-scan/leak-scan';
import { MemoryKeyStore } from '../src-main/vault/keychain';
import { Vault } from '../src-main/vault/vault';
import { summarize, timeAsync, timeSync } from './stats';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS =
  'const let function return import export from await async if else for while class new this true false null undefined string number token key value config request response error status user account invoice order api client server data list item page limit offset http https url path header body json id name type'.split(
    ' ',
  );

function randomToken(rand: () => number): string {
  const prefixes = ['sk_live_', 'rg_', 'ghp_', 'tok_', '', 'api-', 'cs_'];
  const p = prefixes[Math.floor(rand() * prefixes.length)]!;
  const len = 24 + Math.floor(rand() * 24);
  let s = p;
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

/** A deterministic pseudo-random source (mulberry32), so two runs build the same tree. */
function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Source-like text: words, identifiers, numbers, base64-ish blobs and line breaks. */
function sourceText(rand: () => number, bytes: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    let line = '  '.repeat(Math.floor(rand() * 4));
    const words = 3 + Math.floor(rand() * 12);
    for (let w = 0; w < words; w++) {
      const r = rand();
      line += r < 0.8 ? WORDS[Math.floor(rand() * WORDS.length)]! : r < 0.9 ? String(Math.floor(rand() * 1e6)) : randomBytes(12).toString('base64');
      line += rand() < 0.2 ? '(' : rand() < 0.2 ? ' = ' : ' ';
    }
    line += ';\n';
    parts.push(line);
    n += line.length;
  }
  return parts.join('');
}

/**
 * The leak scan figure: a generated tree of `files` files (about `totalMb`
 * MB), a vault with `tokens` stored values of which 100 are planted in the
 * tree, scanned by Tokenvault and, in the same run, by `grep -rF -f` with the
 * same values as fixed strings. Both over a tree in the page cache (each
 * timed three times, median kept). Both must find the same planted values.
 */
export async function benchScan(files = 10_000, totalMb = 200, tokens = 1_000) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenvault-scanbench-'));
  const tree = join(dir, 'tree');
  const rand = mulberry(13);
  try {
    const values = Array.from({ length: tokens }, () => randomToken(rand));
    // A pool of text cut into files at random offsets: fast to build, no two files alike.
    const pool = sourceText(rand, 8 * 1024 * 1024);
    const perFile = Math.floor((totalMb * 1e6) / files);
    const planted = new Set<number>();
    while (planted.size < 100) planted.add(Math.floor(rand() * files));
    let plantIndex = 0;
    let totalBytes = 0;
    const genMs = timeSync(() => {
      for (let f = 0; f < files; f++) {
        const sub = join(tree, `d${Math.floor(f / 100)}`);
        if (f % 100 === 0) mkdirSync(sub, { recursive: true });
        const start = Math.floor(rand() * (pool.length - perFile));
        let text = pool.slice(start, start + perFile);
        if (planted.has(f)) {
          const at = text.indexOf('\n', Math.floor(rand() * text.length)) + 1;
          text = `${text.slice(0, at)}const key = "${values[plantIndex++ % values.length]}";\n${text.slice(at)}`;
        }
        writeFileSync(join(sub, `f${f}.ts`), text);
        totalBytes += Buffer.byteLength(text);
      }
    });
    const patterns = join(dir, 'patterns.txt');
    writeFileSync(patterns, `${values.join('\n')}\n`);

    const vault = Vault.open({ home: join(dir, 'home'), keyStore: new MemoryKeyStore() });
    await vault.init({ keySource: 'keychain' });
    const ws = vault.addWorkspace({ name: 'Bench' });
    const env = vault.addEnvironment({ workspaceId: ws.id, name: 'prod', baseUrl: 'https://api.example.com' });
    vault.addCredentials(
      values.map((value, i) => ({ environmentId: env.id, name: `t${i}`, kind: 'bearer' as const, secret: { value } })),
      { auditType: 'imported' },
    );

    const grepRuns: number[] = [];
    let grepLines = 0;
    for (let i = 0; i < 3; i++) {
      grepRuns.push(
        timeSync(() => {
          const r = spawnSync('grep', ['-rF', '-f', patterns, tree], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
          grepLines = r.stdout.split('\n').filter(Boolean).length;
        }),
      );
    }
    const scanRuns: number[] = [];
    let found = 0;
    for (let i = 0; i < 3; i++) {
      scanRuns.push(
        await timeAsync(async () => {
          const r = await runLeakScan(vault, { kind: 'paths', paths: [tree], noIgnore: false });
          found = r.findings.length;
        }),
      );
    }
    vault.close();
    const mb = totalBytes / 1e6;
    const grep = summarize(grepRuns);
    const scan = summarize(scanRuns);
    return {
      files,
      megabytes: Math.round(mb * 10) / 10,
      tokens,
      planted: 100,
      generateMs: Math.round(genMs),
      grep: { ms: grep, mbPerSecond: Math.round((mb / grep.median) * 1000 * 10) / 10, linesFound: grepLines },
      scan: { ms: scan, mbPerSecond: Math.round((mb / scan.median) * 1000 * 10) / 10, found },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
