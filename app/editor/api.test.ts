import { describe, expect, it } from 'vitest';
import { safeNext } from './api';

describe('safeNext: where sign-in may send the user', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/executions')).toBe('/executions');
    expect(safeNext('/flows/abc?tab=runs#step-2')).toBe('/flows/abc?tab=runs#step-2');
  });

  it('sends anything else to /flows, including what browsers read as another host', () => {
    for (const next of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', '\\\\evil.example', 'javascript:alert(1)']) {
      expect(safeNext(next), JSON.stringify(next)).toBe('/flows');
    }
  });
});
