import { describe, expect, it } from 'vitest';
import { runNode } from '@switchyard/plugin-testing';
import { extractEmailsNode, slugifyNode, templateNode } from './index.js';

describe('text-utils (in the sandbox)', () => {
  it('slugifies, folding accents', async () => {
    expect((await runNode(slugifyNode, { props: { text: '  Crème Brûlée, à la carte! ' } })).outputs).toEqual({ main: { slug: 'creme-brulee-a-la-carte' } });
    expect((await runNode(slugifyNode, { props: { text: 'Hello World', separator: '_' } })).outputs).toEqual({ main: { slug: 'hello_world' } });
  });

  it('fills a template from the incoming message', async () => {
    const { outputs } = await runNode(templateNode, { props: { template: 'Hi {name}, order {id} is {status}. {missing}' }, input: { name: 'Ana', id: 42, status: 'shipped' } });
    expect(outputs).toEqual({ main: { text: 'Hi Ana, order 42 is shipped. {missing}' } });
  });

  it('extracts emails, or emits on "none"', async () => {
    expect((await runNode(extractEmailsNode, { props: { text: 'Write to Ana@Example.com or bob@test.org; ana@example.com again' } })).outputs)
      .toEqual({ main: { emails: ['ana@example.com', 'bob@test.org'] } });
    expect((await runNode(extractEmailsNode, { props: { text: 'nothing here' } })).outputs).toEqual({ none: { emails: [] } });
  });

  it('rejects props the schema does not accept', async () => {
    await expect(runNode(slugifyNode, { props: { text: 1 } })).rejects.toThrow(/invalid props: text/);
  });
});
