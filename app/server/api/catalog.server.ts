import { defineRoute, type Route } from '../route.server.js';

export const catalogRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/nodes', tag: 'catalog', summary: 'Node catalog: types, props JSON Schema, ports, credential slots' },
    async ({ runtime }) => ({ body: runtime.nodeCatalog() })),
  defineRoute({ method: 'get', path: '/credential-kinds', tag: 'catalog', summary: 'Credential kinds and the JSON Schema of their fields' },
    async ({ runtime }) => ({ body: runtime.credentialKinds() })),
];
