import type { Runtime } from '../../../runtime/types.js';

/**
 * What a notification's link says about itself: `signed` when its `sig` was made for this
 * escalation, `forged` when it carries one that was not, `none` when it was opened from the inbox.
 */
export function linkState(runtime: Runtime, id: string, url: URL): 'signed' | 'forged' | 'none' {
  const sig = url.searchParams.get('sig');
  if (sig === null) return 'none';
  return runtime.escalations.verifyLink(id, sig) ? 'signed' : 'forged';
}
