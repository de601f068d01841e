/**
 * Starts the five emulators and prints ONE JSON line on stdout:
 *
 *   {"regate":"http://127.0.0.1:…","regen":"…","strapi":"…","coolset":"…",
 *    "built":{"sandbox":"…","production":"…"},"demo":{…fixed demo credentials…}}
 *
 * then stays up until SIGINT or SIGTERM.
 *
 *   node --import tsx e2e/emulators/start.ts [--port-base N] [--no-demo] [--delay-ms N] [--ietf-ratelimit]
 *
 *   --port-base N     regate N, regen N+1, strapi N+2, coolset N+3, built sandbox N+4, production N+5
 *   --no-demo         do not seed the demo credentials ("demo" is then null)
 *   --delay-ms N      answer every request after N ms
 *   --ietf-ratelimit  Regen also sends the IETF RateLimit / RateLimit-Policy fields
 */
import { startAll } from './index';
import { seedDemo } from './demo-seed';

function parseArgs(argv: string[]): { portBase?: number; demo: boolean; delayMs: number; ietf: boolean } {
  const out: { portBase?: number; demo: boolean; delayMs: number; ietf: boolean } = { demo: true, delayMs: 0, ietf: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (name: string): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error(`${name} needs a whole number`);
      return v;
    };
    if (a === '--port-base') out.portBase = num('--port-base');
    else if (a === '--delay-ms') out.delayMs = num('--delay-ms');
    else if (a === '--no-demo') out.demo = false;
    else if (a === '--ietf-ratelimit') out.ietf = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  if (out.portBase !== undefined && out.portBase + 5 > 65535) throw new Error('--port-base too high');
  return out;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`start.ts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const all = await startAll({
    ...(args.portBase === undefined ? {} : { portBase: args.portBase }),
    delayMs: args.delayMs,
    regen: { ietfRateLimitHeaders: args.ietf },
  });
  const demo = args.demo ? seedDemo(all) : null;
  process.stdout.write(`${JSON.stringify({ ...all.urls, demo })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void all.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`start.ts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
