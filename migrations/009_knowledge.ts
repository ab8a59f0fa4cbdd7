import type { Knex } from 'knex';

/**
 * Knowledge bases (decision 033): documents split into chunks for retrieval-augmented answers.
 * - `knowledge_bases`: per workspace, with the chunking settings and the embedding model and
 *   dimension every vector of the base was made with (vectors of different models are never mixed:
 *   changing the model clears the vectors and embeds the chunks again).
 * - `knowledge_sources`: one uploaded file, web page, pasted text or FAQ list, with its ingestion
 *   status, progress and, when it failed, why. The upload's bytes wait in `content` until ingested.
 * - `knowledge_chunks`: the text of one chunk with its position and headings, its vector as
 *   `real[]` (unit length, so cosine = dot product) and a generated `tsvector` for full-text search.
 *   The vector column is a plain array on purpose: Postgres without pgvector searches it exactly,
 *   and with pgvector each base gets an HNSW index on `embedding::vector(dim)` (created at run time,
 *   runtime/knowledge/vector-index.ts), so one schema serves both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('knowledge_bases', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('chunk_size').notNullable();
    t.integer('chunk_overlap').notNullable();
    /** `local:use-512` or `provider:<model>`; see runtime/knowledge/embedders.ts. */
    t.text('embedding_model').notNullable();
    /** The AI provider credential of a provider model; null for the local one. */
    t.text('embedding_credential_id');
    /** Known once the first vector is made (a provider model's dimension is what it answers). */
    t.integer('dimension');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['workspace_id', 'name']);
  });

  await knex.schema.createTable('knowledge_sources', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.text('knowledge_base_id').notNullable().references('knowledge_bases.id').onDelete('CASCADE');
    /** file | url | text | faq */
    t.text('kind').notNullable();
    t.text('name').notNullable();
    /** pdf | docx | txt | markdown | html | csv | faq (what the extractor reads it as). */
    t.text('format').notNullable();
    t.text('url');
    t.binary('content');
    t.integer('bytes').notNullable().defaultTo(0);
    /** queued | processing | ready | failed */
    t.text('status').notNullable();
    /** 0–1 while processing. */
    t.float('progress').notNullable().defaultTo(0);
    t.text('error');
    t.integer('chunk_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['knowledge_base_id', 'created_at']);
  });

  await knex.schema.createTable('knowledge_chunks', (t) => {
    t.bigIncrements('id').primary();
    t.text('knowledge_base_id').notNullable().references('knowledge_bases.id').onDelete('CASCADE');
    t.text('source_id').notNullable().references('knowledge_sources.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.specificType('headings', 'text[]').notNullable().defaultTo('{}');
    t.text('text').notNullable();
    t.specificType('embedding', 'real[]');
    /** The model that made `embedding`; a vector only counts when it is the base's current model. */
    t.text('embedding_model');
    t.index(['knowledge_base_id']);
    t.index(['source_id', 'position']);
  });
  await knex.raw("alter table knowledge_chunks add column tsv tsvector generated always as (to_tsvector('english', text)) stored");
  await knex.raw('create index knowledge_chunks_tsv on knowledge_chunks using gin (tsv)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('knowledge_chunks');
  await knex.schema.dropTableIfExists('knowledge_sources');
  await knex.schema.dropTableIfExists('knowledge_bases');
}
