import { expect, localTest } from './fixtures';
import { signIn } from './helpers';
import { makePdf } from '../runtime/knowledge/testing/documents';
import { startAiFake } from '../nodes/ai/fake';

/** The product may call 127.0.0.1, so the AI provider credential reaches the local fake. */
const test = localTest();

test.use({ viewport: { width: 1440, height: 900 } });

test('create a knowledge base, upload a PDF, watch it index, search it, and answer from it in a flow', async ({ page, app }) => {
  test.setTimeout(180_000);
  const pdf = await makePdf([
    'Bicycle rental. City bikes cost 12 euros per day and electric bikes 25 euros per day.',
    'Opening hours. The rental desk opens at 8:30 and closes at 19:00, every day of the week.',
  ]);
  await signIn(page, app);
  await page.goto('/knowledge');
  await expect(page.getByRole('heading', { name: 'Knowledge', level: 1 })).toBeVisible();
  // The embedded default has pgvector: no "exact search" notice.
  await expect(page.getByRole('heading', { name: 'No knowledge bases yet' })).toBeVisible();
  await expect(page.getByTestId('exact-search')).toHaveCount(0);

  await page.getByLabel('New knowledge base name').fill('Bike rental');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { name: 'Bike rental', level: 2 })).toBeVisible();

  await page.getByLabel('Document files').setInputFiles({ name: 'rental.pdf', mimeType: 'application/pdf', buffer: pdf });
  const row = page.locator('tr[data-source="rental.pdf"]');
  await expect(row).toBeVisible();
  // Queued, then indexing, then ready (the model's process starts on this first use).
  await expect(row).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');

  // A file type it cannot read is refused with the reason, and nothing is added.
  await page.getByLabel('Document files').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71]) });
  await expect(page.getByRole('alert')).toContainText('"photo.png" is not a supported file type');
  await expect(page.locator('tr[data-source]')).toHaveCount(1);

  await page.getByLabel('Question').fill('how much is an e-bike for a day?');
  await page.getByRole('button', { name: 'Search' }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').first()).toContainText('rental.pdf');
  await expect(results.getByRole('listitem').first()).toContainText('electric bikes 25 euros');
  await expect(page.getByText(/hybrid search in .* ms \(pgvector HNSW index\)/)).toBeVisible();

  // Answer from knowledge in a flow, with the chat model behind the OpenAI-compatible fake.
  const fake = await startAiFake();
  try {
    fake.onChat((body) => {
      const context = String(body.messages?.at(-1)?.content ?? '');
      return { kind: 'answer', content: context.includes('25 euros') ? 'An electric bike costs 25 euros per day [1].' : 'I do not know.' };
    });
    const headers = { origin: app.baseURL };
    const credential = await (await page.request.post('/api/credentials', { headers, data: {
      name: 'Fake AI', kind: 'ai-provider', data: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey },
    } })).json();
    const created = await page.request.post('/api/flows', { headers, data: {
      format: 'switchyard/flow@1', name: 'Rental answers',
      nodes: [
        { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
        { id: 'answer', type: 'ai.answer-from-knowledge', typeVersion: 1, position: { x: 260, y: 0 }, credentials: { provider: 'ai' },
          props: { knowledgeBase: 'Bike rental', question: '{{ $json.text }}', chain: [{ credential: 'provider', model: 'fake-chat', timeoutMs: 10000 }] } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'answer', targetHandle: 'main' }],
      credentials: { ai: { kind: 'ai-provider', id: credential.id } },
    } });
    expect(created.status()).toBe(201);
    const flow = await created.json();
    // The editor shows the node from the catalog.
    await page.goto(`/flows/${flow.id}`);
    await expect(page.getByTestId('node-answer')).toContainText('Answer from knowledge');

    const started = await (await page.request.post(`/api/flows/${flow.id}/run`, { headers, data: { input: { text: 'what does an e-bike cost per day?' } } })).json();
    let execution: { status: string; steps: { nodeId: string; output: Record<string, { answer: string; citations: { label: string }[] }> }[] } | undefined;
    await expect.poll(async () => {
      execution = await (await page.request.get(`/api/executions/${started.executionId}`)).json();
      return execution!.status;
    }, { timeout: 30_000 }).toBe('succeeded');
    const output = execution!.steps.find((s) => s.nodeId === 'answer')!.output.main!;
    expect(output.answer).toBe('An electric bike costs 25 euros per day [1].');
    expect(output.citations[0]!.label).toContain('rental.pdf');
  } finally {
    await fake.close();
  }

  // Chunking is set per knowledge base; a change re-indexes every source.
  await page.goto('/knowledge');
  await page.getByRole('button', { name: 'Indexing settings' }).click();
  const settings = page.getByRole('form', { name: 'Indexing settings' });
  await settings.getByLabel('Chunk size (characters)').fill('100');
  await settings.getByLabel('Overlap between chunks (characters)').fill('300');
  await settings.getByRole('button', { name: 'Save and re-index' }).click();
  await expect(settings.getByRole('alert')).toContainText('overlap (chunkOverlap) must be smaller than the chunk size');
  await settings.getByLabel('Overlap between chunks (characters)').fill('0');
  await settings.getByRole('button', { name: 'Save and re-index' }).click();
  await expect(page.getByText('Chunks of 100 characters, 0 overlap')).toBeVisible();
  await expect(row).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByLabel('Question').fill('how much is an e-bike for a day?');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(results.getByRole('listitem').first()).toContainText('electric bikes 25 euros');
});
