import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../../nodes/index.js';
import { validateFlow } from '../../flow/validate.js';
import { convertN8nWorkflow } from './convert.js';
import { translateValue, type ExpressionScope } from './expressions.js';

const scope = (over: Partial<ExpressionScope> = {}): ExpressionScope => ({
  idOf: (name) => ({ 'Get user': 'get_user', Webhook: 'webhook', 'HTTP Request': 'http_request' } as Record<string, string>)[name],
  prefixOf: (name) => (name === 'HTTP Request' ? '.body' : ''),
  inputPrefix: '',
  ...over,
});

describe('n8n expressions', () => {
  it('translates item references, $input, $now and $env, and counts them', () => {
    const out = translateValue('=Hi {{ $json.name }}, {{ $(\'Get user\').item.json.email }} / {{ $node["Webhook"].json["body"]["id"] }} at {{ $now }}', scope());
    expect(out.value).toBe('Hi {{ $json.name }}, {{ $node["get_user"].json.email }} / {{ $node["webhook"].json["body"]["id"] }} at {{ new Date().toISOString() }}');
    expect(out).toMatchObject({ expressions: 4, translated: 4, untranslated: [] });
    expect(out.rewrites).toContain('$(\'Get user\').item.json.email → $node["get_user"].json.email');

    expect(translateValue('={{ $input.first().json.total * 2 }}', scope()).value).toBe('{{ $json.total * 2 }}');
    expect(translateValue('={{ $env.API_TOKEN }}', scope()).value).toBe('{{ $vars["API_TOKEN"] }}');
    const all = translateValue('={{ $input.all().length }}', scope());
    expect(all.value).toBe('{{ [{ json: $json }].length }}');
    expect(all.itemSemantics.length).toBe(1);
  });

  it('renames fields an AI step answers in under another name here', () => {
    const ai = scope({ fieldsOf: (name) => (name === 'Get user' ? [['output', 'text']] : undefined), inputFields: [['output', 'text']] });
    expect(translateValue('={{ $(\'Get user\').item.json.output.trim() }} {{ $json.output }} {{ $json.other }}', ai).value)
      .toBe('{{ $node["get_user"].json.text.trim() }} {{ $json.text }} {{ $json.other }}');
  });

  it('moves references to an HTTP request under body, also for the input', () => {
    expect(translateValue('={{ $(\'HTTP Request\').first().json.id }}', scope()).value).toBe('{{ $node["http_request"].json.body.id }}');
    expect(translateValue('={{ $json.items[0].name }}', scope({ inputPrefix: '.body' })).value).toBe('{{ $json.body.items[0].name }}');
  });

  it('keeps what has no equivalent as written and says so', () => {
    const out = translateValue('={{ $fromAI("q") }} {{ $now.format("yyyy") }} {{ $(\'Nowhere\').item.json.x }}', scope());
    expect(out.translated).toBe(0);
    expect(out.untranslated.join(' | ')).toMatch(/\$fromAI/);
    expect(out.untranslated.join(' | ')).toMatch(/Luxon/);
    expect(out.untranslated.join(' | ')).toMatch(/"Nowhere", which is not a node/);
  });

  it('quotes literal text that holds {{ }} (n8n did not evaluate it without =)', () => {
    const out = translateValue('{{ $env.BASE_URL }}/x', scope());
    expect(out.value).toBe('{{ "{{ $env.BASE_URL }}/x" }}');
    expect(out.expressions).toBe(0);
  });
});

const node = (name: string, type: string, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: name, name, type: `n8n-nodes-base.${type}`, typeVersion: 1, position: [0, 0], parameters, ...extra,
});

describe('convertN8nWorkflow', () => {
  const workflow = {
    name: 'Orders',
    nodes: [
      node('Note', 'stickyNote', { content: 'hello' }),
      node('Webhook', 'webhook', { path: '/orders/:id', httpMethod: 'POST', responseMode: 'responseNode' }, { typeVersion: 2 }),
      node('Big?', 'if', { conditions: { conditions: [{ leftValue: '={{ $json.body.total }}', rightValue: 100, operator: { type: 'number', operation: 'gt' } }], combinator: 'and' } }, { typeVersion: 2 }),
      node('Route', 'switch', { rules: { values: [
        { conditions: { conditions: [{ leftValue: '={{ $json.body.kind }}', rightValue: 'a', operator: { type: 'string', operation: 'equals' } }], combinator: 'and' } },
        { conditions: { conditions: [{ leftValue: '={{ $json.body.kind }}', rightValue: 'b', operator: { type: 'string', operation: 'notStartsWith' } }], combinator: 'and' } },
      ] }, options: { fallbackOutput: 'extra' } }, { typeVersion: 3 }),
      node('Sheet', 'googleSheets', { operation: 'append', sheetName: 'Orders' }, { typeVersion: 4 }),
      node('Tell', 'telegram', { chatId: '={{ $(\'Webhook\').item.json.body.chat }}', text: 'Big order', additionalFields: { parse_mode: 'HTML' } }, { typeVersion: 1.2, credentials: { telegramApi: { id: '7', name: 'Shop bot' } } }),
      node('Compute', 'code', { jsCode: 'return $input.all().map(i => ({ json: { n: i.json.body.total } }));' }, { typeVersion: 2, retryOnFail: true, maxTries: 4, waitBetweenTries: 2000 }),
      node('Answer', 'respondToWebhook', { respondWith: 'json', responseBody: '{"ok":true}', options: { responseCode: 202 } }),
      node('Ask', '@n8n/n8n-nodes-langchain.chainLlm', { promptType: 'define', text: '=Summarise {{ $json.n }}' }, { type: '@n8n/n8n-nodes-langchain.chainLlm' }),
      node('Model', '', { model: { __rl: true, value: 'gpt-4o', mode: 'list' }, options: { temperature: 0.2 } },
        { type: '@n8n/n8n-nodes-langchain.lmChatOpenAi', credentials: { openAiApi: { id: 'o1', name: 'OpenAI' } } }),
    ],
    connections: {
      Webhook: { main: [[{ node: 'Big?', type: 'main', index: 0 }]] },
      'Big?': { main: [[{ node: 'Tell', type: 'main', index: 0 }], [{ node: 'Route', type: 'main', index: 0 }]] },
      Route: { main: [[{ node: 'Sheet', type: 'main', index: 0 }], [{ node: 'Compute', type: 'main', index: 0 }], [{ node: 'Answer', type: 'main', index: 0 }]] },
      Compute: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
      Model: { ai_languageModel: [[{ node: 'Ask', type: 'ai_languageModel', index: 0 }]] },
    },
    pinData: { Webhook: [{ json: { body: { total: 150 } } }, { json: { body: { total: 1 } } }] },
  };

  it('maps nodes, ports, credentials and pins, and reports each node', () => {
    const { document, report, pins } = convertN8nWorkflow(workflow);
    const byId = Object.fromEntries(document.nodes.map((n) => [n.id, n]));
    expect(byId.webhook).toMatchObject({ type: 'core.webhook', props: { path: 'orders', method: 'POST', respond: 'respondNode' } });
    expect(byId['big']).toMatchObject({ type: 'core.if', props: { conditions: [{ left: '{{ $json.body.total }}', operator: 'gt', right: 100 }] } });
    expect(byId.route!.props).toMatchObject({ rules: [{ port: 'out0' }, { port: 'out1', conditions: [{ operator: 'isTrue' }] }] });
    expect(byId.tell).toMatchObject({ type: 'telegram.send-message', props: { chatId: '{{ $node["webhook"].json.body.chat }}', parseMode: 'HTML' }, credentials: { bot: 'telegram-bot-shop_bot' } });
    expect(document.credentials).toMatchObject({ 'telegram-bot-shop_bot': { kind: 'telegram-bot', name: 'Shop bot' }, 'ai-provider-openai': { kind: 'ai-provider', name: 'OpenAI' } });
    expect(byId.compute).toMatchObject({ type: 'core.code', settings: { retry: { attempts: 4, backoff: 'fixed', delayMs: 2000 } } });
    expect(byId.answer).toMatchObject({ type: 'core.respond', props: { status: 202, body: { ok: true } } });
    expect(byId.ask).toMatchObject({ type: 'ai.chat', props: { chain: [{ credential: 'provider', model: 'gpt-4o' }], prompt: 'Summarise {{ $json.n }}', temperature: 0.2 }, credentials: { provider: 'ai-provider-openai' } });
    // Not mapped: a disabled placeholder carrying the parameters.
    expect(byId.sheet).toMatchObject({ type: 'core.placeholder', disabled: true, props: { n8nType: 'n8n-nodes-base.googleSheets', parameters: { operation: 'append', sheetName: 'Orders' }, outputs: ['main'] } });
    expect(byId.model).toBeUndefined();
    expect(byId.note).toBeUndefined();

    const edges = document.edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}`).sort();
    expect(edges).toEqual(['big:false->route', 'big:true->tell', 'compute:main->ask', 'route:default->answer', 'route:out0->sheet', 'route:out1->compute', 'webhook:main->big'].sort());
    expect(pins).toEqual({ webhook: { main: { body: { total: 150 } } } });

    const outcome = Object.fromEntries(report.nodes.map((n) => [n.name, n.outcome]));
    expect(outcome).toMatchObject({ Webhook: 'changed', 'Big?': 'mapped', Sheet: 'not_mapped', Model: 'folded', Compute: 'changed', Tell: 'changed' });
    expect(report.summary).toMatchObject({ nodes: 9, notMapped: 1, folded: 1, review: ['compute'], pins: 1 });
    expect(report.nodes.find((n) => n.name === 'Compute')!.itemSemantics.join(' ')).toMatch(/run once for all items/);
    expect(report.notes.join(' ')).toMatch(/2 items in n8n; the first is pinned/);
    expect(report.summary.expressionsTranslated).toBe(report.summary.expressions);

    // Validation names the placeholder as the one thing to rebuild.
    const { problems } = validateFlow(document, nodeRegistry);
    expect(problems.filter((p) => p.code === 'invalid_props').map((p) => p.nodeId)).toEqual(['sheet']);
    expect(problems.find((p) => p.nodeId === 'sheet')!.message).toMatch(/rebuild this step: the imported n8n-nodes-base.googleSheets node/);
  });

  it('turns Loop Over Items into For each with a Collect where the loop came back', () => {
    const { document } = convertN8nWorkflow({
      nodes: [
        node('Start', 'manualTrigger'),
        node('Loop', 'splitInBatches', { options: {} }, { typeVersion: 3 }),
        node('Work', 'set', { assignments: { assignments: [{ name: 'done', type: 'boolean', value: 'true' }] }, includeOtherFields: true }, { typeVersion: 3.4 }),
        node('After', 'noOp'),
      ],
      connections: {
        Start: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
        Loop: { main: [[{ node: 'After', type: 'main', index: 0 }], [{ node: 'Work', type: 'main', index: 0 }]] },
        Work: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
      },
    });
    expect(document.nodes.find((n) => n.id === 'work')!.props).toEqual({ fields: [{ name: 'done', value: true }], keepInput: true });
    expect(document.edges.map((e) => `${e.source}:${e.sourceHandle}->${e.target}`).sort())
      .toEqual(['start:main->loop', 'loop:item->work', 'work:main->loop_collect', 'loop_collect:main->after'].sort());
    expect(validateFlow(document, nodeRegistry).problems).toEqual([]);
  });

  it('refuses what is not a safe n8n workflow with a 400 naming the problem', () => {
    const refused = (input: unknown) => {
      try {
        convertN8nWorkflow(input);
      } catch (error) {
        return error as { status: number; code: string; message: string };
      }
      throw new Error('accepted');
    };
    expect(refused({ name: 'x' })).toMatchObject({ status: 400, code: 'invalid_document', message: expect.stringMatching(/not an n8n workflow: nodes/) });
    expect(refused(JSON.parse('{"nodes":[],"connections":{},"__proto__":{"x":1}}'))).toMatchObject({ status: 400, message: expect.stringMatching(/"__proto__" is not allowed/) });
    let deep: unknown = {};
    for (let i = 0; i < 80; i++) deep = { a: deep };
    expect(refused({ nodes: [node('A', 'noOp', { deep })], connections: {} })).toMatchObject({ status: 400, message: expect.stringMatching(/nests deeper than 64/) });
    expect(refused({ nodes: [node('A', 'noOp'), node('A', 'set')], connections: {} }).message).toMatch(/two nodes are named "A"/);
  });

  it('keeps unknown and broken nodes as placeholders instead of failing', () => {
    const { document, report } = convertN8nWorkflow({
      nodes: [node('T', 'manualTrigger'), node('X', 'someCommunityNode', { a: 1 }), node('H', 'httpRequest', { url: 5, method: 7 }, { typeVersion: 4.2 })],
      connections: { T: { main: [[{ node: 'X', type: 'main', index: 0 }]] }, X: { main: [[{ node: 'H', type: 'main', index: 0 }], [{ node: 'T', type: 'main', index: 0 }]] } },
    });
    expect(document.nodes.map((n) => n.type)).toEqual(['core.manual-trigger', 'core.placeholder', 'core.placeholder']);
    expect(document.nodes[1]!.props.outputs).toEqual(['main', 'output-1']);
    expect(report.nodes[1]!.warnings[0]).toMatch(/no Switchyard node does what n8n-nodes-base.someCommunityNode does/);
    expect(report.nodes[2]!.warnings[0]).toMatch(/method 7 is not supported/);
  });
});
