import type { Knex } from 'knex';

/**
 * Conversations (decision 030): one thread per contact of a channel account.
 * - `contacts`: the person on the other side, per account (`credential_id` + the provider's id of
 *   them), with the inbox's flags (`blocked`, `automation_paused`), when a person last read the thread and when they
 *   last wrote (`last_inbound_at`: WhatsApp's 24-hour customer-service window starts there).
 * - `conversation_messages`: every inbound and outbound message, unique per account by the
 *   provider's message id, with its delivery status and the execution and step that sent it. A
 *   status that arrives before its message makes a `status_only` row the message fills in later.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contacts', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.text('credential_id').notNullable();
    /** The credential's kind (`telegram`, `whatsapp`, …): the channel the inbox filters on. */
    t.text('channel').notNullable();
    t.text('provider_contact_id').notNullable();
    t.text('name');
    t.boolean('blocked').notNullable().defaultTo(false);
    t.boolean('automation_paused').notNullable().defaultTo(false);
    /** When a person last opened or answered the thread: inbound messages after it are unread. */
    t.timestamp('last_read_at', { useTz: true });
    t.timestamp('last_inbound_at', { useTz: true });
    t.timestamp('last_message_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['credential_id', 'provider_contact_id']);
    t.index(['workspace_id', 'last_message_at']);
  });

  await knex.schema.createTable('conversation_messages', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.text('credential_id').notNullable();
    t.text('contact_id').references('contacts.id').onDelete('CASCADE');
    /** in | out */
    t.text('direction').notNullable();
    t.text('text');
    t.text('message_type').notNullable();
    t.jsonb('media');
    t.jsonb('choices');
    t.text('provider_message_id').notNullable();
    /** received (inbound) | queued | sent | delivered | read | failed */
    t.text('status').notNullable();
    t.timestamp('status_at', { useTz: true });
    t.jsonb('error');
    t.text('execution_id');
    t.text('step_key');
    t.boolean('status_only').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['credential_id', 'provider_message_id']);
    t.index(['contact_id', 'created_at']);
    t.index(['workspace_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('conversation_messages');
  await knex.schema.dropTableIfExists('contacts');
}
