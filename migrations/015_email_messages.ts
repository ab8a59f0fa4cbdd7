import type { Knex } from 'knex';

/**
 * Email in the conversation store and the chat simulator (decision 042):
 * - `conversation_messages.email`: an email's subject and bodies (`{ subject, text, html? }`) beside
 *   `text`, which keeps the subject and text body together for history; the editor shows the HTML in
 *   a sandboxed frame. Null for every other channel.
 * - A partial index on the contacts the simulator plays, by contact id: an email send node asks which
 *   of its recipients are simulated (their account is the IMAP mailbox, not the SMTP server it sends
 *   through), and real contacts are not in the index at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('conversation_messages', (t) => {
    t.jsonb('email');
  });
  await knex.raw('create index contacts_simulated_by_contact on contacts (workspace_id, provider_contact_id) where simulator_session_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists contacts_simulated_by_contact');
  await knex.schema.alterTable('conversation_messages', (t) => {
    t.dropColumn('email');
  });
}
