import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Our workspace packages resolve to their TypeScript sources, not to the build they publish
  // (decision 028); vitest hands these conditions to its workers' Node too.
  ssr: { resolve: { conditions: ['switchyard-source', ...defaultServerConditions] } },
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
