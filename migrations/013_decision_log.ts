import type { Knex } from 'knex';

/**
 * The decision log (issue 14 §5, decision 037): one row per guardrail, triage or escalation
 * decision: what was checked (PII redacted by the recorder, capped in length), the outcome, the
 * rules that fired, their scores, the latency, and the flow, execution and step that decided.
 * `day` is the UTC date of `at`, stored so the per-day chart groups on an indexed column. A step
 * that runs again (a worker lost before its step was committed) records nothing new: one row per
 * execution, step and kind.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('decisions', (t) => {
    t.bigIncrements('id');
    t.text('workspace_id').notNullable();
    /** guardrail | triage | escalation */
    t.text('kind').notNullable();
    t.text('node_type').notNullable();
    t.text('flow_id').notNullable();
    t.text('execution_id').notNullable();
    t.text('step_key');
    /** pass | fail | respond | ignore | escalate | approved | edited | rejected | replied | timeout */
    t.text('outcome').notNullable();
    /** The checked text, PII redacted, at most 2,000 characters. */
    t.text('text');
    t.specificType('rules', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('scores').notNullable().defaultTo('{}');
    t.integer('latency_ms');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.date('day').notNullable();
    t.index(['workspace_id', 'day', 'outcome']);
    t.index(['workspace_id', 'flow_id', 'at']);
    t.index(['workspace_id', 'at']);
    t.unique(['execution_id', 'step_key', 'kind']);
  });
  await knex.raw('create index decisions_rules_gin on decisions using gin (rules)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('decisions');
}
