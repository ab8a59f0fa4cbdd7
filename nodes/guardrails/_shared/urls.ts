/**
 * The links in a text and whether each points at an allowed domain: `example.com` allows
 * `example.com` and its subdomains (`shop.example.com`), never `example.com.evil.io` or
 * `notexample.com`. Bare domains (`evil.io/login`) count as links too, because chat apps make them
 * clickable.
 */
export interface LinkFinding {
  url: string;
  host: string;
  start: number;
  end: number;
}

const LINK = /\b(?:https?:\/\/[^\s<>"'()]+|www\.[^\s<>"'()]+|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|co|in|uk|de|fr|app|dev|ai|me|ly|gl|info|biz|xyz|shop|store|link|site|online)\b(?:\/[^\s<>"'()]*)?)/gi;

function hostOf(url: string): string | undefined {
  try {
    return new URL(/^https?:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

export function findLinks(text: string): LinkFinding[] {
  const out: LinkFinding[] = [];
  for (const m of text.matchAll(LINK)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    const host = hostOf(url);
    if (host) out.push({ url, host, start: m.index, end: m.index + url.length });
  }
  return out;
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((domain) => {
    const d = domain.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    return d !== '' && (host === d || host.endsWith(`.${d}`));
  });
}

/** The links in `text` whose host is not among `allowed`. */
export function disallowedLinks(text: string, allowed: readonly string[]): LinkFinding[] {
  return findLinks(text).filter((link) => !hostAllowed(link.host, allowed));
}
