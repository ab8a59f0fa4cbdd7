import type { Knex } from 'knex';
import * as m001 from './001_initial.js';
import * as m002 from './002_execution_waits.js';
import * as m003 from './003_plugins.js';
import * as m004 from './004_step_payload_refs.js';
import * as m005 from './005_hot_path_indexes.js';
import * as m006 from './006_lz4_payloads.js';
import * as m007 from './007_channel_gateway.js';
import * as m008 from './008_conversations.js';
import * as m009 from './009_knowledge.js';
import * as m010 from './010_simulated_contacts.js';
import * as m011 from './011_ai_model_prices.js';
import * as m011p from './011_payments.js';
import * as m012 from './012_escalations.js';
import * as m013 from './013_decision_log.js';
import * as m014 from './014_templates.js';
import * as m015 from './015_email_messages.js';
import * as m016 from './016_contact_write_path.js';
import * as m017 from './017_knowledge_tsv_inline.js';
import * as m018 from './018_pending_channel_events.js';

/**
 * Every migration, by file name, in order. Imported statically (not read from the folder at run
 * time) so the compiled server bundle carries them; `migrations.test.ts` checks that this list
 * and the folder agree, so a new file cannot be forgotten here.
 */
export const migrations: Record<string, Knex.Migration> = {
  '001_initial.ts': m001,
  '002_execution_waits.ts': m002,
  '003_plugins.ts': m003,
  '004_step_payload_refs.ts': m004,
  '005_hot_path_indexes.ts': m005,
  '006_lz4_payloads.ts': m006,
  '007_channel_gateway.ts': m007,
  '008_conversations.ts': m008,
  '009_knowledge.ts': m009,
  '010_simulated_contacts.ts': m010,
  '011_ai_model_prices.ts': m011,
  '011_payments.ts': m011p,
  '012_escalations.ts': m012,
  '013_decision_log.ts': m013,
  '014_templates.ts': m014,
  '015_email_messages.ts': m015,
  '016_contact_write_path.ts': m016,
  '017_knowledge_tsv_inline.ts': m017,
  '018_pending_channel_events.ts': m018,
};
