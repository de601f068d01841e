import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'e2e/emulators/**/*.test.ts'],
    // Stress tests run only when asked for (npm run test:stress sets TOKENVAULT_STRESS);
    // a file filter alone cannot bring back an excluded file.
    exclude: [...(process.env.TOKENVAULT_STRESS ? [] : ['**/*.stress.test.ts']), 'node_modules/**', 'out/**'],
    // Deadlines, not durations: vault tests derive scrypt keys, fsync real files and spawn
    // CLI processes, and a loaded 2-core machine must still finish them (a passing test
    // ends as soon as it is done; only a hung one waits this long).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Component tests wait for states with a deadline a loaded machine can meet.
    setupFiles: ['src-renderer/test/setup.ts'],
  },
});
