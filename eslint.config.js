// Flat config. typescript-eslint's non-type-checked preset keeps `npm run lint` fast on 2 cores;
// `npm run typecheck` (tsc) is where types are checked.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The Node globals plain .mjs scripts use (tsc does not check them, so no-undef still earns its keep there).
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'AbortController', 'structuredClone', 'globalThis',
    'performance', 'TextEncoder', 'TextDecoder'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', '.switchyard/**', 'test-results/**', 'playwright-report/**', '.cache/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // `_`-prefixed names are deliberate (unused callback params, exhaustive destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
