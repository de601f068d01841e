import { config } from 'zod';
import { main } from './main';

// A CLI process parses each schema about once: compiling zod's fast path
// (generated code) costs more than it saves there.
config({ jitless: true });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stderr.write('tokenvault: unexpected failure\n');
    process.exitCode = 1;
  },
);
