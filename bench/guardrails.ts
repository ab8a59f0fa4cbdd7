// Guardrail checks on the worker's thread (issue 14's figures; goals: keyword + PII + regex checks
// on a 2 KB message p50 < 1 ms; a 100-message batch through every local check < 50 ms). The checks
// are called as the nodes call them; the regex check includes its round trip to the worker thread.
import { performance } from 'node:perf_hooks';
import { injectionCheck, keywordCheck, linkCheck, piiCheck, regexCheck } from '../nodes/guardrails/_shared/checks.js';

const KEYWORDS = ['refund', 'human', 'urgent', 'lawyer', 'cancel my account', 'chargeback', 'scam', 'fraud', 'complaint', 'manager'];
const PATTERNS = ['order\\s*#?\\d{5,}', '/\\b(kill|die)\\b/i', 'https?://\\S+'];
const CONTACT = 'You can reach me at priya.sharma@example.com or on 98765 43210 during office hours. ';
const SENTENCES = [
  'Hi team, I placed an order last week and it still has not arrived at my address in Bengaluru. ',
  'The tracking page says it left the warehouse on Monday but nothing has moved since then. ',
  'Could you please check what is going on and let me know when I can expect the delivery? ',
  'I also noticed I was charged twice on my card ending 1111, which is a bit worrying. ',
  'If it cannot be delivered this week I would like to cancel and get my money back. ',
];

/**
 * A 2 KB customer message as a support inbox sees them: one email address and one phone number (in
 * the Indian 5-5 format), a card's last digits and an order story; none of the listed keywords, so
 * every list entry is searched to the end.
 */
function message(seed: number): string {
  let text = CONTACT;
  for (let i = 0; text.length < 2048; i++) text += SENTENCES[(seed + i) % SENTENCES.length];
  return text.slice(0, 2048);
}

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

const piiOptions = { minScore: 0.8, redaction: 'mask' as const };
async function threeChecks(text: string): Promise<void> {
  keywordCheck(text, KEYWORDS, {});
  piiCheck(text, piiOptions);
  await regexCheck(text, PATTERNS, 'match', 1_000);
}

const texts = Array.from({ length: 100 }, (_, i) => message(i));
for (let i = 0; i < 200; i++) await threeChecks(texts[i % texts.length]!);

const local: number[] = [];
const withRegex: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const text = texts[i % texts.length]!;
  let started = performance.now();
  keywordCheck(text, KEYWORDS, {});
  piiCheck(text, piiOptions);
  local.push(performance.now() - started);
  started = performance.now();
  await regexCheck(text, PATTERNS, 'match', 1_000);
  withRegex.push(performance.now() - started);
}

const batches: number[] = [];
for (let round = 0; round < 20; round++) {
  const started = performance.now();
  for (const text of texts) {
    keywordCheck(text, KEYWORDS, { lookalikes: true });
    piiCheck(text, piiOptions);
    injectionCheck(text, 0.75);
    linkCheck(text, ['example.com']);
  }
  await Promise.all(texts.map((text) => regexCheck(text, PATTERNS, 'match', 1_000)));
  batches.push(performance.now() - started);
}

const l = quantiles(local);
const r = quantiles(withRegex);
const b = quantiles(batches);
const total = quantiles(local.map((v, i) => v + withRegex[i]!));
console.log(`guardrails: 2 KB message, keyword + PII checks      p50 ${l.p50.toFixed(3)} ms  p99 ${l.p99.toFixed(3)} ms`);
console.log(`guardrails: 2 KB message, regex (worker thread)     p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms`);
console.log(`guardrails: 2 KB message, keyword + PII + regex     p50 ${total.p50.toFixed(3)} ms  (goal < 1 ms: ${total.p50 < 1 ? 'met' : 'NOT met'})`);
console.log(`guardrails: 100 messages, every local check         p50 ${b.p50.toFixed(1)} ms  p99 ${b.p99.toFixed(1)} ms  (goal < 50 ms: ${b.p50 < 50 ? 'met' : 'NOT met'})`);
process.exit(0);
