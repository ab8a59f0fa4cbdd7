import { describe, expect, it } from 'vitest';
import { flowDocumentSchema } from '../../runtime/flow/document.js';
import type { CredentialSummary } from '../../runtime/services/types.js';
import { bindCredentials, exportDocument } from './flow-export.js';

const cred = (id: string, kind: string, name: string): CredentialSummary => ({ id, kind, name, createdAt: '', updatedAt: '' });

describe('exportDocument', () => {
  it('drops credential ids and keeps kind and name', () => {
    const document = flowDocumentSchema.parse({
      format: 'switchyard/flow@1', name: 'f', nodes: [], edges: [],
      credentials: { ai: { kind: 'openai', name: 'team', id: 'c1' }, mail: { kind: 'smtp', id: 'c2' } },
    });
    const exported = exportDocument(document);
    expect(exported.credentials).toEqual({ ai: { kind: 'openai', name: 'team' }, mail: { kind: 'smtp' } });
    expect(document.credentials.ai?.id).toBe('c1');
  });
});

describe('bindCredentials', () => {
  const available = [cred('o1', 'openai', 'team'), cred('o2', 'openai', 'personal'), cred('s1', 'smtp', 'mail'), cred('t1', 'telegram', 'bot')];

  it('keeps a matching id, else matches kind + name, else the only one of that kind, else leaves the slot unbound', () => {
    const bound = bindCredentials({
      name: 'f',
      credentials: {
        keep: { kind: 'openai', id: 'o2' },
        byName: { kind: 'openai', name: 'team', id: 'foreign' },
        ambiguous: { kind: 'openai' },
        only: { kind: 'smtp', name: 'other' },
        wrongKind: { kind: 'smtp', id: 't1' },
        none: { kind: 'razorpay', name: 'x', id: 'r9' },
      },
    }, available);
    expect(bound).toEqual({
      name: 'f',
      credentials: {
        keep: { kind: 'openai', id: 'o2' },
        byName: { kind: 'openai', name: 'team', id: 'o1' },
        ambiguous: { kind: 'openai' },
        only: { kind: 'smtp', name: 'other', id: 's1' },
        wrongKind: { kind: 'smtp', id: 's1' },
        none: { kind: 'razorpay', name: 'x' },
      },
    });
  });

  it('passes anything else through for the flow service to reject', () => {
    expect(bindCredentials('nope', available)).toBe('nope');
    expect(bindCredentials({ name: 'no credentials' }, available)).toEqual({ name: 'no credentials' });
  });
});
