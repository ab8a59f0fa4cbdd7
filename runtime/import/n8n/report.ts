/** The import report (decision 039): what became of each n8n node, returned before and after saving. */

export type NodeOutcome = 'mapped' | 'changed' | 'not_mapped' | 'folded' | 'dropped';

export interface NodeReport {
  /** The n8n node's name. */
  name: string;
  /** The n8n node type, e.g. `n8n-nodes-base.httpRequest`. */
  n8nType: string;
  /**
   * `mapped`: same meaning, nothing to check. `changed`: mapped, with rewrites listed in `changes`.
   * `not_mapped`: kept as a disabled placeholder carrying its parameters. `folded`: an n8n sub-node
   * (chat model, memory, output parser) whose settings went into the node it serves. `dropped`: a
   * sticky note (kept nowhere).
   */
  outcome: NodeOutcome;
  /** Our node id, when the node is on the canvas. */
  nodeId?: string;
  /** Our node type (`core.placeholder` for not mapped). */
  type?: string;
  /** Parameters and expressions rewritten, and how. */
  changes: string[];
  /** Where n8n's item lists make this node behave differently here. */
  itemSemantics: string[];
  /** Why the node was not mapped, or what still needs a person (e.g. review this Code node). */
  warnings: string[];
  /** Expressions in the node's parameters, and how many carried over with the same meaning. */
  expressions: { total: number; translated: number };
  /** Set on Code nodes: imported code runs in our sandbox and must be read before activating. */
  review?: boolean;
}

export interface ImportReport {
  format: 'n8n';
  /** The n8n workflow's name. */
  workflowName: string;
  nodes: NodeReport[];
  summary: {
    /** n8n nodes other than sticky notes. */
    nodes: number;
    mapped: number;
    changed: number;
    notMapped: number;
    folded: number;
    expressions: number;
    expressionsTranslated: number;
    /** Credential slots created, by n8n credential type. */
    credentials: { slot: string; kind: string; n8nType: string; name?: string }[];
    pins: number;
    /** Nodes whose code must be reviewed before the flow is activated. */
    review: string[];
  };
  /** Workflow-level notes (connections that could not be kept, dropped schedule rules, …). */
  notes: string[];
}
