/**
 * Prompt-injection and jailbreak heuristics: phrasings that try to replace the bot's instructions,
 * extract them, or switch it into a role without rules. Each rule has a weight (how rarely innocent
 * messages use it); the score of a text is its strongest rule. A heuristic, named as one in the
 * editor: it catches the common copy-pasted attacks, not a determined attacker (pair it with the
 * LLM judge for that).
 */
export interface InjectionRule {
  id: string;
  description: string;
  pattern: RegExp;
  weight: number;
}

export const INJECTION_RULES: InjectionRule[] = [
  { id: 'ignore-instructions', description: 'asks to ignore or forget earlier instructions', weight: 0.95,
    pattern: /\b(ignore|disregard|forget|override|skip)\b[^.!?\n]{0,30}\b(previous|prior|above|earlier|all|any|your|the|system)\b[^.!?\n]{0,20}\b(instructions?|prompts?|rules|directions|guidelines|context)\b/i },
  { id: 'reveal-prompt', description: 'asks for the system prompt or hidden instructions', weight: 0.9,
    pattern: /\b(reveal|show|print|repeat|output|tell me|what (is|are))\b[^.!?\n]{0,30}\b(system prompt|initial prompt|hidden (instructions|prompt)|your (instructions|prompt|rules))\b/i },
  { id: 'repeat-above', description: 'asks to repeat the text above', weight: 0.8, pattern: /\brepeat (the )?(words|text|everything) above\b/i },
  { id: 'new-role', description: 'declares a new role without rules (DAN, developer mode, jailbreak)', weight: 0.9,
    pattern: /\b(you are now|from now on,? you are|act as|pretend (to be|you are))\b[^.!?\n]{0,40}\b(DAN|unfiltered|uncensored|jailbroken|without (any )?(rules|restrictions|filters)|developer mode|evil)\b/i },
  { id: 'jailbreak-words', description: 'names a jailbreak (DAN, "do anything now", developer mode)', weight: 0.85,
    pattern: /\b(do anything now|jailbreak|developer mode enabled|DAN mode)\b/i },
  { id: 'chat-markup', description: 'carries chat-template markup to fake a system turn', weight: 0.9,
    pattern: /(<\|im_start\|>|<\|im_end\|>|<\|system\|>|\[INST\]|<<SYS>>|^\s*#{2,}\s*(system|instruction)s?\s*:?$)/im },
  { id: 'fake-system', description: 'claims to be a system or developer message', weight: 0.75,
    pattern: /^\s*(system|developer|admin)\s*(message|note|override)?\s*:/im },
  { id: 'no-restrictions', description: 'asks to answer without restrictions or filters', weight: 0.7,
    pattern: /\b(no|without)\s+(restrictions|filters|censorship|safety guidelines|limitations)\b/i },
];

export interface InjectionFinding {
  rule: string;
  description: string;
  start: number;
  end: number;
  score: number;
}

/** Every rule that fires on `text`, strongest first; the text's score is the first one's. */
export function detectInjection(text: string): InjectionFinding[] {
  const findings: InjectionFinding[] = [];
  for (const rule of INJECTION_RULES) {
    const m = rule.pattern.exec(text);
    if (m) findings.push({ rule: rule.id, description: rule.description, start: m.index, end: m.index + m[0].length, score: rule.weight });
  }
  return findings.sort((a, b) => b.score - a.score);
}
