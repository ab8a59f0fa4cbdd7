/**
 * Why one source could not be ingested (an encrypted PDF, a ZIP bomb, a page that never loads): the
 * message is shown on the source as is, so it names the problem in the user's words. Ingestion does
 * not retry it; other sources carry on.
 */
export class SourceError extends Error {
  override name = 'SourceError';
}
