/**
 * Editor benchmark (not a test): opens a 300-node flow in Debian's Chromium and measures how long
 * it takes to show, then the frame times while panning and zooming. Prints the figures.
 *   npm run bench bench/editor-300-nodes.ts
 */
import { chromium } from '@playwright/test';
import { startSwitchyard } from '../e2e/fixtures.js';

const N = 300;

function bigFlow() {
  const nodes: unknown[] = [{ id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} }];
  const edges: unknown[] = [];
  // A 20-wide grid of Set nodes chained one after another.
  for (let i = 1; i < N; i++) {
    nodes.push({ id: `n${i}`, type: 'core.set', typeVersion: 1, position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 140 }, label: `Step ${i}`, props: { fields: [{ name: 'i', value: i }] } });
    edges.push({ id: `e${i}`, source: i === 1 ? 'start' : `n${i - 1}`, sourceHandle: 'main', target: `n${i}`, targetHandle: 'main' });
  }
  return { format: 'switchyard/flow@1', name: `Benchmark ${N} nodes`, nodes, edges };
}

function stats(frames: number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  const fps = frames.length / (frames.reduce((a, b) => a + b, 0) / 1000);
  return `${frames.length} frames, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms, ${fps.toFixed(0)} fps, ${frames.filter((f) => f > 50).length} frames > 50 ms`;
}

const app = await startSwitchyard();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ baseURL: app.baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.request.post('/api/auth/login', { data: app.owner });
  const created = await page.request.post('/api/flows', { data: bigFlow(), headers: { origin: app.baseURL } });
  const { id } = await created.json();
  if (created.status() !== 201) throw new Error(`create failed: ${created.status()} ${JSON.stringify(await created.json()).slice(0, 500)}`);
  // Warm the asset cache once, like a user who has opened the editor before.
  await page.goto(`/flows/${id}`);
  await page.locator('.react-flow__node').first().waitFor();

  for (const run of [1, 2, 3]) {
    const started = Date.now();
    await page.goto(`/flows/${id}`);
    await page.locator('[data-testid="node-start"], .react-flow__node').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0 && document.querySelectorAll('.react-flow__edge').length > 0);
    const shown = Date.now() - started;
    const rendered = await page.locator('.react-flow__node').count();
    console.log(`open #${run}: ${shown} ms until nodes and edges are on screen (${rendered} nodes in the DOM of ${N})`);
  }

  // Where the main thread's time goes during each measured action (Chrome's own counters, in ms).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => {
    const { metrics: list } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { script: get('ScriptDuration'), layout: get('LayoutDuration'), style: get('RecalcStyleDuration'), task: get('TaskDuration') };
  };

  const measure = async (label: string, action: () => Promise<void>) => {
    const before = await metrics();
    // Strings, not functions: tsx's name-keeping helpers do not exist inside the page.
    await page.evaluate(`(() => {
      window.__frames = []; window.__stop = false; let last = performance.now();
      const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await action();
    const frames = await page.evaluate<number[]>('(window.__stop = true, window.__frames.slice(1))');
    const after = await metrics();
    const spent = (k: keyof typeof after) => (after[k] - before[k]).toFixed(0);
    console.log(`${label}: ${stats(frames)}`);
    console.log(`  main thread: ${spent('task')} ms busy (script ${spent('script')}, style ${spent('style')}, layout ${spent('layout')}; the rest is mostly paint)`);
  };

  const box = (await page.getByTestId('canvas').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await measure('pan (drag across the canvas, 3 passes)', async () => {
    for (let pass = 0; pass < 3; pass++) {
      await page.mouse.move(cx + 200, cy + 100);
      await page.mouse.down();
      await page.mouse.move(cx - 300, cy - 150, { steps: 40 });
      await page.mouse.up();
    }
  });
  await measure('zoom (mouse wheel in and out)', async () => {
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 15; i++) await page.mouse.wheel(0, -120);
    for (let i = 0; i < 25; i++) await page.mouse.wheel(0, 120);
  });
  await measure('fit view', async () => {
    await page.getByRole('button', { name: 'Fit', exact: true }).click();
    await page.waitForTimeout(600);
  });
} finally {
  await browser.close();
  await app.stop();
}
