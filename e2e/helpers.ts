import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, type SwitchyardApp } from './fixtures';

/** Signs the page's browser context in through the API (the UI sign-in has its own test). */
export async function signIn(page: Page, app: SwitchyardApp): Promise<void> {
  const res = await page.request.post('/api/auth/login', { data: app.owner });
  expect(res.status()).toBe(200);
}

/** Drags a palette item onto the canvas at (x, y) relative to the canvas. Returns the new node. */
export async function dropNode(page: Page, title: string, x: number, y: number, id: string): Promise<Locator> {
  const item = page.getByRole('complementary', { name: 'Node palette' }).getByRole('button', { name: new RegExp(`^\\S* *${title}`) });
  await item.dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
  const node = page.getByTestId(`node-${id}`);
  await expect(node).toBeVisible();
  return node;
}

/** Drags from an output handle to a node's input handle with real mouse moves. */
export async function connect(page: Page, from: string, port: string, to: string): Promise<void> {
  const source = page.locator(`[data-testid="node-${from}"] .react-flow__handle.source[data-handleid="${port}"]`);
  const target = page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`);
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Selects a node by clicking its title (opens the inspector). */
export async function selectNode(page: Page, id: string): Promise<Locator> {
  await page.getByTestId(`node-${id}`).locator('.fnode-title').click();
  const inspector = page.getByRole('complementary', { name: /^Inspector/ });
  await expect(inspector).toBeVisible();
  return inspector;
}

export async function edgeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__edge').count();
}

export async function createFlowViaApi(request: APIRequestContext, document: unknown): Promise<string> {
  const res = await request.post('/api/flows', { data: document });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}
