import fs from 'node:fs';
import path from 'node:path';
import { pluginName } from '@switchyard/sdk/manifest';
import { PACKED_FILE } from '@switchyard/sdk/pack';
import { CliError } from './commands.server.js';

/**
 * The files of a new plugin package (`switchyard plugin new`): package.json with the `switchyard`
 * section, one example node, a test that runs it in the real sandbox, and a README. It tests and
 * packs green as written.
 */

/** Where the plugin's two Switchyard packages come from: npm specs, `file:` into the installation until they are published. */
export interface PluginDependencies {
  /** `@switchyard/sdk`, e.g. `file:/opt/switchyard/build/plugin-kit/…/switchyard-sdk-0.1.0.tgz`. */
  sdk: string;
  /** `@switchyard/plugin-testing`, e.g. `file:/opt/switchyard/build/plugin-kit/…/node_modules/@switchyard/plugin-testing`. */
  testing: string;
}

/** A plugin name from what the user typed: lowercase, dashes; refused when it cannot be one. */
export function pluginNameFrom(input: string): string {
  const name = input.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const parsed = pluginName.safeParse(name);
  if (!parsed.success) throw new CliError(`"${input}" is not a valid plugin name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export function pluginFiles(name: string, deps: PluginDependencies): Record<string, string> {
  return {
    'package.json': `${JSON.stringify({
      name, version: '0.1.0', description: `The ${name} Switchyard plugin`, type: 'module', author: '',
      scripts: { test: 'vitest run', pack: 'switchyard-plugin pack' },
      files: [PACKED_FILE, 'src'],
      switchyard: { entry: 'src/index.ts', minSwitchyard: '0.1.0', permissions: { hosts: [], credentialKinds: [] } },
      devDependencies: {
        '@switchyard/plugin-testing': deps.testing, '@switchyard/sdk': deps.sdk,
        esbuild: '^0.28.0', vitest: '^4.0.0', zod: '^4.1.0',
      },
    }, null, 2)}\n`,
    // A `file:` folder must stay a link into the installation (it finds isolated-vm there); a user's
    // global `install-links=true` would copy it instead.
    '.npmrc': 'install-links=false\n',
    '.gitignore': 'node_modules/\n',
    'src/index.ts': `import { defineNode, definePlugin, ui } from '@switchyard/sdk';
import { z } from 'zod';

/** An example node: greets whoever the incoming message names. Replace it with your own. */
export const greet = defineNode({
  type: '${name}.greet', version: 1,
  title: 'Greet', category: '${name}', icon: 'smile',
  description: 'Says hello to $json.name (or to "world").',
  props: z.object({
    greeting: ui(z.string().default('Hello'), { title: 'Greeting' }),
  }),
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  run(ctx, input, props) {
    const name = typeof input === 'object' && input !== null && !Array.isArray(input) && typeof input.name === 'string' ? input.name : 'world';
    ctx.log.info(\`greeting \${name}\`);
    return { main: { message: \`\${props.greeting}, \${name}!\` } };
  },
});

export default definePlugin({ nodes: [greet] });
`,
    'src/index.test.ts': `import { expect, it } from 'vitest';
import { runNode } from '@switchyard/plugin-testing';
import { greet } from './index.js';

it('greets in the sandbox', async () => {
  const { outputs, logs } = await runNode(greet, { props: { greeting: 'Hi' }, input: { name: 'Ada' } });
  expect(outputs).toEqual({ main: { message: 'Hi, Ada!' } });
  expect(logs).toEqual(['[info] greeting Ada']);
});
`,
    // Its own config, so a parent project's vitest config is never picked up instead.
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
`,
    'README.md': `# ${name}

A Switchyard plugin (see "Writing a Switchyard plugin", docs/plugins.md in Switchyard).

- \`npm install\`: \`@switchyard/sdk\` and \`@switchyard/plugin-testing\` come from the Switchyard
  installation that created this folder (\`file:\` paths in package.json) until they are on npm.
- \`npm test\` runs the nodes in the real sandbox (\`runNode\` from \`@switchyard/plugin-testing\`).
- \`npm run pack\` writes \`${PACKED_FILE}\` (manifest, bundle, integrity).
- Install that file into Switchyard: the editor's Plugins page (*Install plugin…*), \`POST /api/plugins\`,
  or \`switchyard plugin install\`; the owner approves the permissions in package.json →
  \`switchyard.permissions\` (network hosts, credential kinds).
`,
  };
}

/** Writes the files into `dir` (created; it must be empty or missing); returns their paths, relative. */
export function scaffoldPlugin(dir: string, name: string, deps: PluginDependencies): string[] {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new CliError(`${dir} is not empty`);
  const files = pluginFiles(name, deps);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return Object.keys(files);
}
