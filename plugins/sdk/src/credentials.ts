import type { z } from 'zod';

/** A kind of credential: its fields (secret ones marked with `ui(…, { secret: true })`). */
export interface CredentialKindDefinition<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  title: string;
  description?: string;
  schema: S;
}

export function defineCredentialKind<S extends z.ZodObject>(definition: CredentialKindDefinition<S>): CredentialKindDefinition<S> {
  return definition;
}
