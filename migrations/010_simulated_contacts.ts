import type { Knex } from 'knex';

/**
 * The chat simulator (decision 031): a contact the editor's simulator plays is a row of `contacts`
 * like any other (its messages, statuses and send-and-waits go through the same store), flagged by
 * the simulator session it belongs to and the flow (and channel trigger) being tested. Dispatch
 * reads the flag from the row it upserts anyway, so real traffic pays nothing for it; send nodes ask
 * for it before they call the provider (`ctx.channels.isSimulated`), so nothing reaches the provider.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    /** The editor's simulator session; null for every real contact. */
    t.text('simulator_session_id');
    /** The flow whose latest saved version this contact's messages start (and only that flow). */
    t.text('simulator_flow_id');
    /** The flow's channel trigger the messages start. */
    t.text('simulator_node_id');
    // One contact per session and account, also when the editor's first two messages race.
    t.unique(['credential_id', 'simulator_session_id']);
    t.index(['workspace_id', 'simulator_session_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropIndex(['workspace_id', 'simulator_session_id']);
    t.dropUnique(['credential_id', 'simulator_session_id']);
    t.dropColumn('simulator_session_id');
    t.dropColumn('simulator_flow_id');
    t.dropColumn('simulator_node_id');
  });
}
