import { z } from 'zod';
import { NonRetryableError, type Json, type NodeContext } from '@switchyard/sdk';
import { askModel, combineCalls, type AskOptions, type ModelCall } from './ask.js';
import type { ChainEntry, ChatRequest } from './chain.js';

/** How a JSON answer is asked for: providers differ in what they support. */
export const STRUCTURED_MODES = ['json_schema', 'json_object', 'prompt'] as const;
export type StructuredMode = (typeof STRUCTURED_MODES)[number];
/** Help under the mode select. */
export const STRUCTURED_MODE_HELP = 'Use JSON schema where the provider supports it; the other two work with any model';

export const STRUCTURED_MODE_LABELS: Record<StructuredMode, string> = {
  json_schema: 'JSON schema (OpenAI, Groq, Together, OpenRouter, vLLM, Ollama ≥ 0.5)',
  json_object: 'JSON mode (any JSON; the schema goes in the prompt)',
  prompt: 'Instructions only (the schema goes in the prompt)',
};

/** A JSON Schema for an answer and the validator built from it. */
export interface OutputSchema {
  schema: Record<string, Json>;
  validate: z.ZodType;
}

/** Builds the validator of a JSON Schema given as an object; a schema zod cannot read is a props error naming why. */
export function outputSchema(schema: Record<string, Json>, where: string): OutputSchema {
  try {
    return { schema, validate: z.fromJSONSchema(schema) };
  } catch (error) {
    throw new NonRetryableError(`${where} is not a JSON Schema this node can check: ${error instanceof Error ? error.message : String(error)}`, { code: 'invalid_props' });
  }
}

/** Reads a model's answer as JSON: the text itself, or the inside of a ```json fence some models add. */
function parseAnswer(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) };
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function check(text: string | null, output: OutputSchema): { ok: true; value: Json } | { ok: false; problem: string } {
  if (text === null || text.trim() === '') return { ok: false, problem: 'it is empty' };
  const parsed = parseAnswer(text);
  if (!parsed.ok) return parsed;
  const result = output.validate.safeParse(parsed.value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
    return { ok: false, problem: `it does not match the schema (${problems})` };
  }
  // The parsed value came from JSON.parse, so it is JSON; the schema only checked its shape.
  return { ok: true, value: JSON.parse(JSON.stringify(parsed.value)) as Json };
}

/** What a structured call gives back. */
export interface StructuredAnswer {
  value: Json;
  /** The answer's text as the model wrote it (after a repair, the repaired one). */
  raw: string;
  repaired: boolean;
  calls: ModelCall[];
}

/** The step error when the answer never matched: it shows the raw text so a person can see what the model said. */
export class StructuredOutputError extends NonRetryableError {
  override name = 'StructuredOutputError';
}

const RAW_SHOWN = 2000;

/**
 * Asks for JSON matching `output.schema`: sent as `response_format: json_schema` (or JSON mode, or
 * instructions only), validated on return, repaired once by showing the model its answer and the
 * problem; a second miss fails the step with the raw text.
 */
export async function askStructured(
  ctx: Pick<NodeContext, 'http' | 'signal' | 'ai'>,
  entries: readonly ChainEntry[],
  request: ChatRequest,
  output: OutputSchema,
  mode: StructuredMode,
  options: AskOptions = {},
): Promise<StructuredAnswer> {
  const instruction = `Answer with only a JSON value (no prose, no code fence) that matches this JSON Schema:\n${JSON.stringify(output.schema)}`;
  const messages: ChatRequest['messages'] = [...request.messages, { role: 'system', content: instruction }];
  const responseFormat: ChatRequest['responseFormat'] = mode === 'json_schema'
    ? { type: 'json_schema', json_schema: { name: 'output', schema: output.schema, strict: false } }
    : mode === 'json_object' ? { type: 'json_object' } : undefined;
  const first = await askModel(ctx, entries, { ...request, messages, ...(responseFormat ? { responseFormat } : {}) }, options);
  const firstCheck = check(first.answer.content, output);
  if (firstCheck.ok) return { value: firstCheck.value, raw: first.answer.content ?? '', repaired: false, calls: [first] };

  const repairMessages: ChatRequest['messages'] = [
    ...messages,
    { role: 'assistant', content: first.answer.content ?? '' },
    { role: 'user', content: `That answer cannot be used: ${firstCheck.problem}. Reply again with only the corrected JSON.` },
  ];
  // The repair is never served from the cache: the first answer was wrong.
  const second = await askModel(ctx, entries, { ...request, messages: repairMessages, ...(responseFormat ? { responseFormat } : {}) });
  const secondCheck = check(second.answer.content, output);
  if (secondCheck.ok) return { value: secondCheck.value, raw: second.answer.content ?? '', repaired: true, calls: [first, second] };

  const raw = second.answer.content ?? '';
  const { attempts, usage } = combineCalls([first, second]);
  throw new StructuredOutputError(
    `the model's answer is not the JSON asked for, also after one repair: ${secondCheck.problem}. Raw answer: ${raw.length > RAW_SHOWN ? `${raw.slice(0, RAW_SHOWN)}…` : raw}`,
    { code: 'invalid_structured_output', details: { raw: raw.slice(0, 20_000), firstRaw: (first.answer.content ?? '').slice(0, 20_000), problem: secondCheck.problem, attempts, usage } },
  );
}
