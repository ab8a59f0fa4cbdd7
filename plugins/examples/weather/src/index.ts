import { NodeError, NonRetryableError, defineNode, definePlugin, ui } from '@switchyard/sdk';
import { z } from 'zod';

/**
 * Acme Weather: one node calling a declared API host with a bearer credential. The API base URL is
 * a prop so the same node works against a local fake in tests (its host must still be declared in
 * package.json → switchyard.permissions.hosts, and allowed by the operator if it is private).
 */
const forecastResponse = z.object({
  city: z.string(),
  days: z.array(z.object({ date: z.string(), highC: z.number(), lowC: z.number(), summary: z.string() })),
});

export const forecast = defineNode({
  type: 'acme-weather.forecast', version: 1,
  title: 'Weather forecast', category: 'Weather', icon: 'cloud',
  description: 'Fetches the forecast for a city from the Acme Weather API.',
  props: z.object({
    city: ui(z.string().min(1), { title: 'City', placeholder: 'Lisbon' }),
    days: ui(z.number().int().min(1).max(7).default(3), { title: 'Days' }),
    baseUrl: ui(z.string().url().default('https://api.acme-weather.test'), { title: 'API base URL', group: 'Advanced' }),
  }),
  credentials: { api: { kind: 'http-bearer', title: 'Acme Weather API key' } },
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  async run(ctx, _input, props) {
    const url = `${props.baseUrl.replace(/\/$/, '')}/v1/forecast?city=${encodeURIComponent(props.city)}&days=${props.days}`;
    const response = await ctx.http.request({
      url, headers: { authorization: `Bearer ${ctx.credentials.api.fields.token ?? ''}`, 'idempotency-key': ctx.idempotencyKey },
    });
    if (response.status === 401 || response.status === 403) throw new NonRetryableError('the Acme Weather API key was refused', { code: 'http_status' });
    if (response.status >= 400) throw new NodeError(`Acme Weather answered ${response.status}`, { code: 'http_status' });
    const parsed = forecastResponse.safeParse(response.json());
    if (!parsed.success) throw new NonRetryableError('unexpected answer from Acme Weather', { code: 'invalid_response' });
    ctx.log.info(`forecast for ${parsed.data.city}: ${parsed.data.days.length} days`);
    return { main: parsed.data };
  },
});

export default definePlugin({ nodes: [forecast] });
