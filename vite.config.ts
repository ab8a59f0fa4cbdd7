import path from 'node:path';
import { vitePlugin as remix } from '@remix-run/dev';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

// Only for the Remix app build (`remix vite:build`, `remix vite:dev`); vitest has its own config so
// unit tests never load the Remix plugin.
export default defineConfig({
  // `switchyard-source`: our workspace packages (the SDK) resolve to their TypeScript sources, not
  // to the build they publish (decision 028).
  resolve: { alias: { '~': path.resolve('app') }, conditions: ['switchyard-source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['switchyard-source', ...defaultServerConditions] } },
  plugins: [
    remix({
      // Opt into every v3 behaviour now so the Remix → React Router 7 upgrade is mechanical.
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
      // The CLI, the express server and tests live under app/ but are not routes.
      ignoredRouteFiles: ['**/*.test.ts', '**/.*'],
    }),
  ],
  build: { target: 'es2022' },
});
