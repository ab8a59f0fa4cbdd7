import type { Knex } from 'knex';

/**
 * Knowledge chunks keep their `tsvector` inside the row (storage `main`) instead of in the TOAST
 * table. A 1,000-character chunk's row (text ~1 KB, tsvector ~1.4 KB, 512-float vector ~2 KB) is
 * over Postgres's ~2 KB TOAST target, and with the default storage the tsvector went out of line
 * after the vector, so the full-text list fetched it through the TOAST index for every match it
 * tested and ranked: about 7 of the ~29 ms of a hybrid search over 100,000 chunks on PGlite
 * (decision 033, update 2026-12-06 b). Now the vector, and the text when the row is still too large,
 * go out of line instead; the text is only read for the few chunks a search returns.
 *
 * Only the storage rule changes: rows written before keep their layout until their source is
 * indexed again (rewriting them here would re-insert every chunk into its base's HNSW index at
 * start-up, minutes for a large base). Searches are correct either way.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table knowledge_chunks alter column tsv set storage main');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table knowledge_chunks alter column tsv set storage extended');
}
