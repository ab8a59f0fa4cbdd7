import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,runtime,nodes,plugins,templates,migrations}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'e2e/**', 'build/**'],
    globalSetup: ['runtime/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: integration files each start workers and sandbox hosts; more forks only thrash.
    maxWorkers: 2,
    execArgv: ['--no-node-snapshot'],
  },
});
