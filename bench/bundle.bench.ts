import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The renderer's JavaScript as built (minified, bytes): what the first load
 * fetches and parses — the entry script of index.html and the chunks it
 * preloads — next to all of it. The total is the baseline of the same run:
 * what the first load would carry if nothing were loaded on demand
 * (src-renderer/app/lazy-views.tsx decides what is).
 */
export function benchBundle(dir = resolve(__dirname, '..', 'out', 'renderer')) {
  const assets = join(dir, 'assets');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const size = (f: string) => statSync(join(assets, f)).size;
  const named = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  // Static imports between chunks load with the entry too (the preload list may not name them all).
  const firstLoad = new Set<string>();
  const visit = (f: string) => {
    if (firstLoad.has(f) || !files.includes(f)) return;
    firstLoad.add(f);
    const code = readFileSync(join(assets, f), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)) visit(m[1]!);
  };
  for (const f of named) visit(f);
  const total = files.reduce((n, f) => n + size(f), 0);
  const first = [...firstLoad].reduce((n, f) => n + size(f), 0);
  return {
    firstLoadBytes: first,
    totalBytes: total,
    onDemandBytes: total - first,
    chunks: files.map((f) => ({ file: f, bytes: size(f), firstLoad: firstLoad.has(f) })).sort((a, b) => b.bytes - a.bytes),
  };
}
