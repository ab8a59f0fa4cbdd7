import { NodeError, NonRetryableError, type CredentialValue, type Json, type JsonObject, type NodeContext } from '@switchyard/sdk';
import { combineCalls } from '../../ai/_shared/ask.js';
import { endpointFromCredential } from '../../ai/_shared/client.js';
import { askStructured, outputSchema } from '../../ai/_shared/structured.js';

/**
 * Guardrail checks that ask a model (the topic classifier, the injection judge): one AI provider
 * credential, one model, structured output checked and repaired once (AI Chat's machinery). A model
 * that cannot be asked is a step error, never a pass: the node's on-error setting decides, and by
 * default the flow stops (fail closed).
 */
export interface GuardModel {
  credential: CredentialValue;
  model: string;
  timeoutMs: number;
}

/** What a check asked and what it cost, as the step records it. */
export interface GuardAnswer {
  value: JsonObject;
  usage: Json;
  attempts: Json;
}

export async function askGuardModel(
  ctx: Pick<NodeContext, 'http' | 'signal' | 'ai'>, guard: GuardModel, system: string, user: string, schema: Record<string, Json>, failure: { code: string; what: string },
): Promise<GuardAnswer> {
  const entries = [{ endpoint: endpointFromCredential(guard.credential), model: guard.model, timeoutMs: guard.timeoutMs }];
  try {
    const answer = await askStructured(ctx, entries, {
      messages: [{ role: 'system', content: system }, { role: 'user', content: user }], temperature: 0,
    }, outputSchema(schema, `the ${failure.what} schema`), 'json_schema');
    const { usage, attempts } = combineCalls(answer.calls);
    const value = answer.value !== null && typeof answer.value === 'object' && !Array.isArray(answer.value) ? answer.value : {};
    return { value, usage, attempts };
  } catch (error) {
    // The chain's messages never hold the key (they are cleaned where they are made).
    const message = `${failure.what} failed: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof NonRetryableError) throw new NonRetryableError(message, { code: failure.code, cause: error });
    throw new NodeError(message, { code: failure.code, cause: error });
  }
}

/** The text a guard model reads, fenced so the model treats it as data, not as instructions to it. */
export function fenced(text: string): string {
  return `<message>\n${text.replaceAll('</message>', '</ message>')}\n</message>`;
}
