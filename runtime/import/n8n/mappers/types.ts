import type { Json } from '@switchyard/sdk';
import type { NodeSettings } from '../../../flow/document.js';
import type { N8nNode } from '../workflow.js';

/** What a mapper may ask of the converter while it maps one n8n node. */
export interface MapContext {
  node: N8nNode;
  /** The n8n node's typeVersion (1 when absent). */
  version: number;
  /** Its parameters, as exported. */
  params: Record<string, Json>;
  /** A parameter value translated for our props: strings become templates, objects and arrays are walked. */
  value(value: Json | undefined, what: string): Json;
  /** Like `value`, for a parameter that must be text here (numbers and booleans become text; undefined stays undefined). */
  text(value: Json | undefined, what: string): string | undefined;
  /** Records a rewrite of a parameter, in words. */
  change(text: string): void;
  /** Records where n8n's item lists make this node behave differently. */
  items(text: string): void;
  /** Records what a person must check. */
  warn(text: string): void;
  /**
   * Binds our credential `slot` to a document slot of `kind` made from the n8n credential of one of
   * `n8nTypes` on this node (or on `from`, an attached sub-node); returns the node's `credentials` map.
   * A node without such a credential still gets a slot of that kind, for the user to bind.
   */
  credential(n8nTypes: readonly string[], kind: string, slot: string, from?: N8nNode): Record<string, string>;
  /** Nodes attached to this one by a non-main n8n connection (`ai_languageModel`, `ai_memory`, `ai_tool`, …). */
  attached(connectionType: string): N8nNode[];
  /** How many main outputs of this node are connected in the n8n workflow (highest index + 1). */
  outputsUsed: number;
  /** Our node id for an n8n node name. */
  idOf(name: string): string | undefined;
  /** Whether the node registry has `type@version` (e.g. ai.agent, built while this importer was written). */
  has(type: string, version?: number): boolean;
}

/** A mapped node: our type, props, and which of our ports each n8n main output index becomes. */
export interface Mapped {
  type: string;
  typeVersion?: number;
  props: Record<string, Json>;
  /** Our output port for n8n main output `index`; default: the first output for 0, nothing else. */
  port?: (index: number) => string | undefined;
  settings?: NodeSettings;
  /** Code to be read before activating (Code, Function). */
  review?: boolean;
  /** Extra nodes this mapping adds after itself (Loop Over Items' Collect), wired by the converter. */
  collect?: { port: string };
}

/** The node cannot be mapped; it becomes a placeholder and `reason` goes in the report. */
export class Unmappable extends Error {
  override name = 'Unmappable';
}

export type Mapper = (ctx: MapContext) => Mapped;

export function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ __rl: true, value }` resource locators and plain values alike. */
export function locatorValue(value: Json | undefined): Json | undefined {
  return isRecord(value) && value.__rl === true ? value.value : value;
}
