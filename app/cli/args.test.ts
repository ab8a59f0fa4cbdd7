import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from './args.js';

describe('parseCommand', () => {
  it('parses every command', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['help'])).toEqual({ name: 'help' });
    expect(parseCommand(['start', '--port', '8080', '--host', '0.0.0.0'])).toEqual({ name: 'start', port: 8080, host: '0.0.0.0' });
    expect(parseCommand(['web'])).toEqual({ name: 'web', port: undefined, host: undefined });
    expect(parseCommand(['worker', '--concurrency=5'])).toEqual({ name: 'worker', concurrency: 5 });
    expect(parseCommand(['migrate'])).toEqual({ name: 'migrate' });
    expect(parseCommand(['import', 'flow.json'])).toEqual({ name: 'import', file: 'flow.json' });
    expect(parseCommand(['export', 'abc'])).toEqual({ name: 'export', flowId: 'abc' });
    expect(parseCommand(['run', 'f.json', '--input', '{"a":[1,2]}'])).toEqual({ name: 'run', file: 'f.json', input: { a: [1, 2] } });
    expect(parseCommand(['run', 'f.json'])).toEqual({ name: 'run', file: 'f.json', input: {} });
    expect(parseCommand(['apikey', 'create', '--name', 'ci'])).toEqual({ name: 'apikey-create', keyName: 'ci' });
    expect(parseCommand(['apikey', 'create'])).toEqual({ name: 'apikey-create', keyName: undefined });
    expect(parseCommand(['export', '--help'])).toEqual({ name: 'help' });
    expect(parseCommand(['plugin', 'new', 'hello-x'])).toEqual({ name: 'plugin-new', pluginName: 'hello-x' });
    expect(parseCommand(['plugin', 'new', 'hello-x', '--dir', '../work/hx'])).toEqual({ name: 'plugin-new', pluginName: 'hello-x', dir: '../work/hx' });
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['import'], /missing the flow document file/],
    [['import', 'a.json', 'b.json'], /unexpected argument "b.json"/],
    [['export'], /missing the flow id/],
    [['run', 'f.json', '--input', '{nope'], /--input must be JSON/],
    [['start', '--port', 'eighty'], /--port must be a whole number/],
    [['start', '--port', '70000'], /--port must be a whole number from 1 to 65535/],
    [['worker', '--concurrency', '0'], /--concurrency must be a whole number/],
    [['start', '--input', '{}'], /"start" does not take --input/],
    [['plugin', 'new'], /missing the plugin name/],
    [['plugin', 'pack', '.', '--dir', 'x'], /"plugin pack" does not take --dir/],
    [['migrate', '--bogus'], /Unknown option '--bogus'/],
    [['apikey'], /missing subcommand: apikey create/],
    [['apikey', 'delete'], /unknown subcommand "apikey delete"/],
    [['apikey', 'create', '--name', ' '], /--name must not be empty/],
    [['start', 'extra'], /unexpected argument "extra"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
