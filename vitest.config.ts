import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'e2e/emulators/**/*.test.ts'],
    // Stress tests run only when asked for (npm run test:stress sets TOKENVAULT_STRESS);
    // a file filter alone cannot bring back an excluded file.
    exclude: [...(process.env.TOKENVAULT_STRESS ? [] : ['**/*.stress.test.ts']), 'node_modules/**', 'out/**'],
    // Vault tests derive scrypt keys and fsync real files; give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Component tests wait for states with a deadline a loaded machine can meet.
    setupFiles: ['src-renderer/test/setup.ts'],
  },
});
