import type { Json } from '@switchyard/sdk';
import { isRecord, locatorValue, Unmappable, type MapContext, type Mapped, type Mapper } from './types.js';
import { wrapCode } from '../code.js';

const WEBHOOK_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** n8n paths allow `:params`, leading slashes and any characters; ours are `segment/segment` of [A-Za-z0-9._-]. */
function webhookPath(ctx: MapContext, raw: string): string {
  const cleaned = raw.split('/').filter((s) => s !== '' && !s.startsWith(':')).map((s) => s.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.]+/, ''))
    .filter((s) => s !== '').join('/');
  const path = cleaned === '' ? (ctx.node.id ?? ctx.node.name).replace(/[^A-Za-z0-9_-]/g, '-').replace(/^-+/, '') || 'n8n-webhook' : cleaned;
  if (path !== raw) ctx.change(`path "${raw}" → "${path}" (the URL is /hooks/${path}${raw.includes(':') ? '; path parameters are not supported, read them from the query or body' : ''})`);
  return path.slice(0, 200);
}

const webhook: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const rawMethod = Array.isArray(params.httpMethod) ? params.httpMethod[0] : params.httpMethod;
  let method = typeof rawMethod === 'string' ? rawMethod.toUpperCase() : 'GET';
  if (Array.isArray(params.httpMethod) && params.httpMethod.length > 1) ctx.warn(`n8n listened on ${params.httpMethod.join(', ')}; this webhook takes ${method} only`);
  if (!WEBHOOK_METHODS.has(method)) {
    ctx.change(`method ${method} → GET`);
    method = 'GET';
  }
  const mode = params.responseMode;
  const respond = mode === 'responseNode' ? 'respondNode' : mode === 'lastNode' ? 'lastNode' : 'immediately';
  if (respond === 'immediately') ctx.change('answers at once with 202 and the execution id (n8n answered 200 "Workflow was started")');
  if (typeof params.authentication === 'string' && params.authentication !== 'none') {
    ctx.warn(`n8n checked ${params.authentication}; add an HMAC signature secret or check the header in the flow`);
  }
  const options = isRecord(params.options) ? params.options : {};
  if (options.responseCode !== undefined || options.responseData !== undefined) ctx.warn('response code and data options are not carried over; use a Respond node');
  return { type: 'core.webhook', props: { path: webhookPath(ctx, typeof params.path === 'string' ? params.path : ''), method, respond } };
};

const respondToWebhook: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const options = isRecord(params.options) ? params.options : {};
  const respondWith = typeof params.respondWith === 'string' ? params.respondWith : 'firstIncomingItem';
  const headers: Json[] = [];
  const headerEntries = isRecord(options.responseHeaders) && Array.isArray(options.responseHeaders.entries) ? options.responseHeaders.entries : [];
  for (const entry of headerEntries) {
    if (isRecord(entry) && typeof entry.name === 'string') headers.push({ name: entry.name, value: ctx.text(entry.value, `header ${entry.name}`) ?? '' });
  }
  let status = typeof options.responseCode === 'number' ? options.responseCode : 200;
  let body: Json;
  switch (respondWith) {
    case 'firstIncomingItem':
      body = '{{ $json }}';
      break;
    case 'allIncomingItems':
      body = '{{ [$json] }}';
      ctx.items('answers with a list holding the one incoming message (n8n listed every incoming item)');
      break;
    case 'json': {
      const raw = params.responseBody ?? params.responseBodyJson;
      body = typeof raw === 'string' && !raw.startsWith('=') ? parseJsonOr(raw) : ctx.value(raw ?? '', 'response body');
      if (typeof body === 'string' && !headers.some((h) => isRecord(h) && String(h.name).toLowerCase() === 'content-type')) {
        headers.push({ name: 'Content-Type', value: 'application/json' });
      }
      break;
    }
    case 'text':
      body = ctx.value(params.responseBody ?? '', 'response body');
      if (!headers.some((h) => isRecord(h) && String(h.name).toLowerCase() === 'content-type')) headers.push({ name: 'Content-Type', value: 'text/plain; charset=utf-8' });
      break;
    case 'noData':
      body = null;
      break;
    case 'redirect':
      status = typeof options.responseCode === 'number' ? options.responseCode : 307;
      headers.push({ name: 'Location', value: ctx.text(params.redirectURL, 'redirect URL') ?? '' });
      body = null;
      break;
    default:
      throw new Unmappable(`answering with ${respondWith} is not supported`);
  }
  return { type: 'core.respond', props: { status, headers, body } };
};

function parseJsonOr(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** One n8n Schedule Trigger interval rule → a cron expression. */
function ruleCron(rule: Record<string, Json>): string | undefined {
  const num = (v: Json | undefined, d: number) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : d);
  const minute = num(rule.triggerAtMinute, 0);
  const hour = num(rule.triggerAtHour, 0);
  switch (rule.field ?? 'days') {
    case 'cronExpression':
      return typeof rule.expression === 'string' ? rule.expression.trim() : undefined;
    case 'seconds':
      return '* * * * *';
    case 'minutes': {
      const n = num(rule.minutesInterval, 5);
      return n <= 1 ? '* * * * *' : `*/${n} * * * *`;
    }
    case 'hours': {
      const n = num(rule.hoursInterval, 1);
      return n <= 1 ? `${minute} * * * *` : `${minute} */${n} * * *`;
    }
    case 'days': {
      const n = num(rule.daysInterval, 1);
      return n <= 1 ? `${minute} ${hour} * * *` : `${minute} ${hour} */${n} * *`;
    }
    case 'weeks': {
      const days = Array.isArray(rule.triggerAtDay) && rule.triggerAtDay.length > 0 ? rule.triggerAtDay.map((d) => DAYS[num(d, 0) % 7]).join(',') : '0';
      return `${minute} ${hour} * * ${days}`;
    }
    case 'months':
      return `${minute} ${hour} ${num(rule.triggerAtDayOfMonth, 1)} */${Math.max(1, num(rule.monthsInterval, 1))} *`;
    default:
      return undefined;
  }
}

/** One legacy Cron node time → a cron expression. */
function legacyCron(item: Record<string, Json>): string | undefined {
  const minute = typeof item.minute === 'number' ? item.minute : 0;
  const hour = typeof item.hour === 'number' ? item.hour : 0;
  switch (item.mode) {
    case 'everyMinute': return '* * * * *';
    case 'everyHour': return `${minute} * * * *`;
    case 'everyDay': return `${minute} ${hour} * * *`;
    case 'everyWeek': return `${minute} ${hour} * * ${typeof item.weekday === 'string' || typeof item.weekday === 'number' ? item.weekday : 1}`;
    case 'everyMonth': return `${minute} ${hour} ${typeof item.dayOfMonth === 'number' ? item.dayOfMonth : 1} * *`;
    case 'everyX': return item.unit === 'hours' ? `0 */${Number(item.value) || 1} * * *` : `*/${Number(item.value) || 1} * * * *`;
    case 'custom': return typeof item.cronExpression === 'string' ? item.cronExpression.trim() : undefined;
    default: return undefined;
  }
}

const schedule: Mapper = (ctx): Mapped => {
  const legacy = ctx.node.type.endsWith('.cron');
  const list: Json[] = legacy
    ? (isRecord(ctx.params.triggerTimes) && Array.isArray(ctx.params.triggerTimes.item) ? ctx.params.triggerTimes.item : [])
    : (isRecord(ctx.params.rule) && Array.isArray(ctx.params.rule.interval) ? ctx.params.rule.interval : [{}]);
  const crons = list.filter((r): r is Record<string, Json> => isRecord(r)).map((r) => (legacy ? legacyCron(r) : ruleCron(r)));
  const cron = crons[0] ?? (legacy ? undefined : '0 0 * * *');
  if (cron === undefined) throw new Unmappable('its schedule rule has no cron equivalent');
  if (list.some((r) => isRecord(r) && r.field === 'seconds')) ctx.change('every few seconds → every minute (the shortest cron period)');
  if (crons.length > 1) ctx.warn(`n8n had ${crons.length} schedule rules; only the first (${cron}) is kept: add a Schedule node for each of ${crons.slice(1).join('; ')}`);
  ctx.change(`schedule → cron "${cron}" (UTC; set the time zone if n8n used another)`);
  return { type: 'core.schedule', props: { cron, timezone: 'UTC' } };
};

const code: Mapper = (ctx): Mapped => {
  const { params, node } = ctx;
  const short = node.type.split('.').pop();
  if (params.language === 'python' || params.language === 'pythonNative') throw new Unmappable('Python code cannot run here (JavaScript only); rewrite it in JavaScript');
  const source = short === 'code' ? params.jsCode : params.functionCode;
  const perItem = short === 'functionItem' || params.mode === 'runOnceForEachItem';
  const wrapped = wrapCode(typeof source === 'string' ? source : 'return $input.all();', { perItem, legacyItem: short === 'functionItem', idOf: ctx.idOf });
  for (const line of wrapped.notes) ctx.change(line);
  ctx.items(perItem
    ? 'runs once per message (n8n: once per item); $json and $input.item are the message'
    : 'n8n "run once for all items": $input.all() and items are a list holding the one message; a returned list of several items becomes { items: [...] } in one message');
  ctx.warn('imported code: read it before activating the flow');
  return { type: 'core.code', props: { code: wrapped.code }, review: true };
};

/** Set / Edit Fields: typed assignments → our fields. */
const set: Mapper = (ctx): Mapped => {
  const { params, version } = ctx;
  const fields: Json[] = [];
  const typed = (type: Json | undefined, raw: Json | undefined, name: string): Json => {
    if (typeof raw === 'string' && raw.startsWith('=')) return ctx.value(raw, `field ${name}`);
    if (typeof raw !== 'string') return raw ?? null;
    if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    if (type === 'boolean' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
    if ((type === 'object' || type === 'array') && raw.trim() !== '') return parseJsonOr(raw);
    return ctx.value(raw, `field ${name}`);
  };
  let keepInput: boolean;
  if (version >= 3) {
    if (params.mode === 'raw') {
      const raw = params.jsonOutput;
      const expression = typeof raw === 'string' ? /^=\s*\{\{([\s\S]*)\}\}\s*$/.exec(raw) : null;
      if (typeof raw === 'string' && !raw.startsWith('=')) {
        const parsed = parseJsonOr(raw);
        if (!isRecord(parsed)) throw new Unmappable('its JSON output is not an object');
        for (const [name, value] of Object.entries(parsed)) fields.push({ name, value: ctx.value(value, `field ${name}`) });
        ctx.change('JSON output → one field per top-level key');
      } else if (expression) {
        const translated = ctx.text(`={{${expression[1]}}}`, 'JSON output') ?? '';
        ctx.change('JSON output expression → a Code step returning it');
        return { type: 'core.code', props: { code: `// Imported from an n8n Edit Fields node (JSON output).\nreturn ${translated.replace(/^\{\{\s*|\s*\}\}$/g, '')};` }, review: true };
      } else {
        throw new Unmappable('its JSON output mixes text and expressions; rebuild it as fields or a Code step');
      }
    } else {
      const list = isRecord(params.assignments) && Array.isArray(params.assignments.assignments) ? params.assignments.assignments : [];
      const legacy = isRecord(params.fields) && Array.isArray(params.fields.values) ? params.fields.values : [];
      for (const a of list) if (isRecord(a) && typeof a.name === 'string') fields.push({ name: a.name, value: typed(a.type, a.value, a.name) });
      for (const f of legacy) {
        if (!isRecord(f) || typeof f.name !== 'string') continue;
        const type = typeof f.type === 'string' ? f.type.replace('Value', '') : 'string';
        fields.push({ name: f.name, value: typed(type, f[`${type}Value`] ?? f.stringValue, f.name) });
      }
    }
    const include = typeof params.include === 'string' ? params.include : undefined;
    keepInput = params.includeOtherFields === true || (version < 3.3 && include === 'all');
    if (include === 'selected' || include === 'except') {
      keepInput = true;
      ctx.warn(`n8n kept ${include === 'selected' ? 'only some' : 'all but some'} input fields; here all input fields are kept`);
    }
  } else {
    const values = isRecord(params.values) ? params.values : {};
    for (const [type, list] of Object.entries(values)) {
      if (!Array.isArray(list)) continue;
      for (const f of list) if (isRecord(f) && typeof f.name === 'string') fields.push({ name: f.name, value: typed(type, f.value, f.name) });
    }
    keepInput = params.keepOnlySet !== true;
  }
  return { type: 'core.set', props: { fields, keepInput } };
};

const UNITS = new Set(['seconds', 'minutes', 'hours', 'days']);

const wait: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const resume = typeof params.resume === 'string' ? params.resume : 'timeInterval';
  const options = isRecord(params.options) ? params.options : {};
  if (resume === 'timeInterval') {
    const amount = typeof params.amount === 'number' ? params.amount : 1;
    let unit = typeof params.unit === 'string' ? params.unit : 'hours';
    if (!UNITS.has(unit)) {
      ctx.warn(`unit ${unit} is not supported; waits in days instead`);
      unit = 'days';
    }
    if (typeof params.amount === 'string') ctx.warn('the wait amount was an expression; set a number');
    return { type: 'core.wait', props: { mode: 'delay', amount, unit } };
  }
  if (resume === 'specificTime') return { type: 'core.wait', props: { mode: 'until', until: ctx.text(params.dateTime, 'date and time') ?? '' } };
  if (resume === 'webhook') {
    ctx.change('resumes on the execution\'s resume URL ({{ $execution.resumeUrl }}), like n8n\'s $execution.resumeUrl');
    if (options.limitWaitTime === true || params.limitWaitTime === true) ctx.warn('n8n limited the wait time; set a timeout here');
    return { type: 'core.wait', props: { mode: 'resume' } };
  }
  throw new Unmappable(`waiting for ${resume} is not supported`);
};

const stopAndError: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  const raw = params.errorType === 'errorObject' ? (typeof params.errorObject === 'string' ? params.errorObject : JSON.stringify(params.errorObject ?? {})) : params.errorMessage;
  const message = (ctx.text(raw, 'error message') ?? '').slice(0, 1000) || 'Stopped';
  return { type: 'core.stop', props: { message, code: 'stopped' } };
};

const noOp: Mapper = (ctx): Mapped => {
  ctx.change('No Operation → a Set step that passes its input on unchanged');
  return { type: 'core.set', props: { fields: [], keepInput: true } };
};

const manual: Mapper = () => ({ type: 'core.manual-trigger', props: {} });

const subflowTrigger: Mapper = (ctx): Mapped => {
  ctx.change('"When called by another workflow" → Manual trigger (a sub-flow starts at its manual trigger)');
  return { type: 'core.manual-trigger', props: {} };
};

const executeWorkflow: Mapper = (ctx): Mapped => {
  const { params } = ctx;
  if (params.source !== undefined && params.source !== 'database') throw new Unmappable(`running a workflow from ${String(params.source)} is not supported; import that workflow and call it by id`);
  const id = locatorValue(params.workflowId);
  const inputs = isRecord(params.workflowInputs) && isRecord(params.workflowInputs.value) ? params.workflowInputs.value : undefined;
  const input: Json = inputs ? ctx.value(inputs, 'workflow inputs') : '{{ $json }}';
  const options = isRecord(params.options) ? params.options : {};
  ctx.warn(`calls n8n workflow ${JSON.stringify(id ?? '')}: import that workflow too and put its flow id here`);
  if (params.mode === 'each') ctx.items('runs the sub-flow once per message (n8n: once per item)');
  return { type: 'core.subflow', props: { flowId: `n8n-${String(id ?? 'workflow')}`.slice(0, 200), input, wait: options.waitForSubWorkflow !== false } };
};

export const coreMappers: Record<string, Mapper> = {
  webhook, respondToWebhook, manualTrigger: manual, scheduleTrigger: schedule, cron: schedule,
  code, function: code, functionItem: code, set, wait, stopAndError, noOp,
  executeWorkflow, executeWorkflowTrigger: subflowTrigger,
};

export type { Mapped };
