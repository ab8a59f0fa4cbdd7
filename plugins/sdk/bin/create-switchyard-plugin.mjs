#!/usr/bin/env node
// @ts-check
/**
 * `create-switchyard-plugin <dir> [--name NAME]`: scaffolds a plugin package that tests and packs
 * green out of the box — package.json (with the `switchyard` section), one example node, a test
 * that runs it in the real sandbox, and a README. Plain JavaScript so it runs without a build step.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** @param {string[]} argv @returns {{ dir: string, name: string }} */
export function parse(argv) {
  const args = [...argv];
  let name;
  const at = args.indexOf('--name');
  if (at >= 0) {
    name = args[at + 1];
    args.splice(at, 2);
  }
  const dir = args[0];
  if (!dir) throw new Error('usage: create-switchyard-plugin <dir> [--name plugin-name]');
  const plugin = (name ?? basename(resolve(dir))).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(plugin)) throw new Error(`"${plugin}" is not a valid plugin name (lowercase letters, digits, dashes)`);
  return { dir: resolve(dir), name: plugin };
}

/** @param {string} dir @param {string} name */
export function scaffold(dir, name) {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const files = {
    'package.json': `${JSON.stringify({
      name, version: '0.1.0', description: `The ${name} Switchyard plugin`, type: 'module', author: '',
      scripts: { test: 'vitest run', pack: 'switchyard plugin pack .' },
      files: ['switchyard-plugin.json', 'src'],
      switchyard: { entry: 'src/index.ts', minSwitchyard: '0.1.0', permissions: { hosts: [], credentialKinds: [] } },
      devDependencies: { '@switchyard/sdk': '*', esbuild: '*', vitest: '^4.0.0', zod: '^4.1.0' },
    }, null, 2)}\n`,
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
import { runNode } from '@switchyard/sdk/testing';
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

A Switchyard plugin. See the plugin author's guide (docs/plugins.md in Switchyard) for everything below.

- \`npm test\` runs the nodes in the real sandbox (\`runNode\` from \`@switchyard/sdk/testing\`).
- \`npm run pack\` writes \`switchyard-plugin.json\` (manifest + bundle + integrity).
- \`switchyard plugin install .\` (or the file, or the published npm package) installs it; the owner approves
  the permissions in package.json → \`switchyard.permissions\` (network hosts, credential kinds).
`,
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return Object.keys(files);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    const { dir, name } = parse(process.argv.slice(2));
    const written = scaffold(dir, name);
    process.stdout.write(`created ${name} in ${dir}:\n${written.map((f) => `  ${f}`).join('\n')}\nnext: cd ${dir} && npm install && npm test\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
