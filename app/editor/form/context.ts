import { createContext, useContext } from 'react';
import type { ExpressionContext } from './expressions';

/** What every field of one form shares: server errors by path, sample data for expressions. */
export interface FormEnv {
  /** Errors by dotted props path (`url`, `conditions.0.left`). */
  errors: Record<string, string>;
  expression: ExpressionContext;
  readOnly: boolean;
}

export const FormEnvContext = createContext<FormEnv>({ errors: {}, expression: { nodes: {} }, readOnly: false });

export function useFormEnv(): FormEnv {
  return useContext(FormEnvContext);
}
