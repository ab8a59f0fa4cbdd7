import type { Knex } from 'knex';

/**
 * Cheaper contact writes (measured by bench/channels.ts). Every message moves its contact's
 * `last_message_at`, which the inbox's index orders by, so each of those updates writes a new entry
 * into every index of `contacts`. The two simulator indexes of migration 010 held a NULL entry for
 * every real contact; as partial indexes over the simulator's contacts only, real contacts' updates
 * skip them. Uniqueness per account and session is unchanged (NULLs never conflicted).
 * A reply within a second of the thread's last message leaves `last_message_at` alone (the
 * conversation store), and free space per page (fillfactor 80) lets that update stay on its page as
 * a HOT update, with no index writes at all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropUnique(['credential_id', 'simulator_session_id']);
    t.dropIndex(['workspace_id', 'simulator_session_id']);
  });
  await knex.raw(`create unique index contacts_simulator_session_unique on contacts (credential_id, simulator_session_id)
    where simulator_session_id is not null`);
  await knex.raw(`create index contacts_simulator_session on contacts (workspace_id, simulator_session_id)
    where simulator_session_id is not null`);
  await knex.raw('alter table contacts set (fillfactor = 80)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table contacts reset (fillfactor)');
  await knex.raw('drop index if exists contacts_simulator_session');
  await knex.raw('drop index if exists contacts_simulator_session_unique');
  await knex.schema.alterTable('contacts', (t) => {
    t.unique(['credential_id', 'simulator_session_id']);
    t.index(['workspace_id', 'simulator_session_id']);
  });
}
