import { expect, localTest } from './fixtures';
import { signIn } from './helpers';
import { startRazorpayFake, type RazorpayFake } from '../nodes/payments/razorpay/fake';

/** The product may call 127.0.0.1, so the Razorpay account reaches the local fake. */
const test = localTest().extend<object, { razorpay: RazorpayFake }>({
  razorpay: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const fake = await startRazorpayFake();
      try {
        await use(fake);
      } finally {
        await fake.close();
      }
    },
    { scope: 'worker' },
  ],
});

test.use({ viewport: { width: 1440, height: 900 } });

test('a flow creates a Razorpay order, a signed webhook captures it, the Payments page shows it and refunds from it', async ({ page, app, razorpay }) => {
  test.setTimeout(120_000);
  await signIn(page, app);
  const headers = { origin: app.baseURL };
  const credential = await (await page.request.post('/api/credentials', { headers, data: {
    name: 'Shop Razorpay', kind: 'razorpay',
    data: { keyId: razorpay.keyId, keySecret: razorpay.keySecret, webhookSecret: razorpay.webhookSecret, baseUrl: razorpay.url },
  } })).json() as { id: string };
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Checkout',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'order', type: 'razorpay.create-order', typeVersion: 1, position: { x: 260, y: 0 }, credentials: { account: 'shop' },
        props: { amount: '499.00', currency: 'INR' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'order', targetHandle: 'main' }],
    credentials: { shop: { kind: 'razorpay', id: credential.id } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flow = await created.json() as { id: string };

  // The flow creates the order on the fake, in minor units.
  const started = await (await page.request.post(`/api/flows/${flow.id}/run`, { headers, data: { input: {} } })).json() as { executionId: string };
  let execution: { status: string; steps: { nodeId: string; output: Record<string, { orderId: string }> }[] } | undefined;
  await expect.poll(async () => {
    execution = await (await page.request.get(`/api/executions/${started.executionId}`)).json();
    return execution!.status;
  }, { timeout: 30_000 }).toBe('succeeded');
  const orderId = execution!.steps.find((s) => s.nodeId === 'order')!.output.main!.orderId;
  expect(razorpay.orders.get(orderId)).toMatchObject({ amount: 49900, currency: 'INR' });

  await page.goto('/payments');
  await expect(page.getByRole('heading', { name: 'Payments', level: 1 })).toBeVisible();
  const orderRow = page.locator(`tr[data-provider-id="${orderId}"]`);
  await expect(orderRow).toContainText('499.00 INR');
  await expect(orderRow).toContainText('Razorpay');
  await expect(orderRow).toContainText('Checkout');
  await expect(orderRow.locator('[data-status]')).toHaveAttribute('data-status', 'created');

  // The customer pays; Razorpay's signed payment.captured reaches the account's callback URL.
  const paid = razorpay.pay(orderId, { status: 'captured' });
  const hook = razorpay.webhook('payment.captured', { payment: paid }, { eventId: `evt_${paid.id}` });
  const forged = razorpay.webhook('payment.captured', { payment: { ...paid, id: 'pay_Forged0000001' } }, { secret: 'not the webhook secret' });
  expect((await fetch(`${app.baseURL}/inbound/${credential.id}`, { method: 'POST', headers: forged.headers, body: forged.body })).status).toBe(403);
  expect((await fetch(`${app.baseURL}/inbound/${credential.id}`, { method: 'POST', headers: hook.headers, body: hook.body })).status).toBe(200);

  // The page follows: the order and its payment are captured, with the amount in rupees.
  await expect(orderRow.locator('[data-status]')).toHaveAttribute('data-status', 'captured');
  const paymentRow = page.locator(`tr[data-provider-id="${paid.id}"]`);
  await expect(paymentRow).toContainText('499.00 INR');
  await expect(paymentRow.locator('[data-status]')).toHaveAttribute('data-status', 'captured');
  await expect(page.locator('tr[data-provider-id="pay_Forged0000001"]')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Totals per currency' })).toContainText('INR captured');

  // Filters: by status and provider.
  await page.getByLabel('Filter by provider').selectOption('paypal');
  await expect(page.getByRole('heading', { name: 'No payments match' })).toBeVisible();
  await page.getByLabel('Filter by provider').selectOption('razorpay');
  await page.getByLabel('Filter by status').selectOption('created');
  await expect(page.getByRole('heading', { name: 'No payments match' })).toBeVisible();
  await page.getByLabel('Filter by status').selectOption('captured');
  await expect(paymentRow).toBeVisible();

  // The payment's history: captured by the verified webhook; its order is linked.
  await page.getByRole('link', { name: `Open payment ${paid.id}` }).click();
  const detail = page.getByRole('region', { name: `Razorpay payment ${paid.id}` });
  await expect(detail.getByTestId('payment-amount')).toHaveText('499.00 INR');
  const history = detail.getByRole('list', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem').first()).toContainText('A verified webhook');
  await expect(history.getByRole('listitem').first()).toContainText(`evt_${paid.id}`);
  await expect(detail.getByRole('link', { name: orderId })).toBeVisible();

  // A partial refund with a confirmation reaches the fake once and moves the ledger.
  await detail.getByRole('button', { name: 'Refund…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund payment' });
  await dialog.getByLabel(/Amount to refund/).fill('100.00');
  await dialog.getByRole('button', { name: 'Refund 100.00 INR' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(detail.getByRole('status')).toContainText('partially refunded');
  const refunds = [...razorpay.refunds.values()].filter((r) => r.payment_id === paid.id);
  expect(refunds).toHaveLength(1);
  expect(refunds[0]).toMatchObject({ amount: 10000, currency: 'INR' });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').last()).toContainText('A refund from this page or the API');
  await expect(detail.locator('header [data-status]')).toHaveAttribute('data-status', 'partially_refunded');

  // A refund larger than what is left is refused with the provider's reason; nothing reaches the fake.
  await detail.getByRole('button', { name: 'Refund…' }).click();
  await dialog.getByLabel(/Amount to refund/).fill('450.00');
  await dialog.getByRole('button', { name: 'Refund 450.00 INR' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect([...razorpay.refunds.values()].filter((r) => r.payment_id === paid.id)).toHaveLength(1);
});
