import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../runtime/errors.js';
import type { Principal } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';

export const SESSION_COOKIE = 'sy_session';

/** The value of one cookie from the `Cookie` header, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function cookieAttributes(req: Request): string {
  // Secure only over https: a plain-http embedded install on 127.0.0.1 must still be able to sign in.
  return `Path=/; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  res.append('set-cookie', `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${cookieAttributes(req)}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(req)}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}

export interface RequestAuth {
  principal?: Principal;
  via?: 'apiKey' | 'session';
  sessionToken?: string;
}

const auths = new WeakMap<Request, RequestAuth>();

/** Who is calling, as found by `identify` (empty for anonymous calls). */
export function requestAuth(req: Request): RequestAuth {
  return auths.get(req) ?? {};
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Host of an Origin/Referer header value; undefined when it is absent or unparseable (e.g. `null`). */
function hostOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Finds the caller: `Authorization: Bearer <api key>` (a wrong key is a 401 at once, never a fall
 * back to the cookie) or the session cookie (an unknown one is cleared and the call is anonymous,
 * so sign-in still works with a stale cookie). Then the CSRF rule: a state-changing call that a
 * browser could make on its own (no Bearer header) must come from our own origin. Browsers always
 * send `Origin` on cross-site POSTs, so a mismatching Origin/Referer is refused, and a
 * cookie-authenticated call with neither header is refused too.
 */
export function identify(runtime: Runtime): RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const authorization = req.get('authorization');
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        const principal = match ? await runtime.auth.authenticateApiKey(match[1]!) : undefined;
        if (!principal) throw new UnauthorizedError('the API key is unknown or revoked');
        auths.set(req, { principal, via: 'apiKey' });
        return;
      }
      const token = readCookie(req, SESSION_COOKIE);
      let auth: RequestAuth = {};
      if (token) {
        const principal = await runtime.auth.authenticateSession(token);
        if (principal) auth = { principal, via: 'session', sessionToken: token };
        else clearSessionCookie(req, res);
      }
      if (!SAFE_METHODS.has(req.method)) {
        const host = req.get('host')?.toLowerCase();
        const origin = req.get('origin');
        const from = origin !== undefined ? hostOf(origin) : hostOf(req.get('referer'));
        const sent = origin !== undefined || req.get('referer') !== undefined;
        if (sent && (!from || from !== host)) throw new ForbiddenError('cross-site request refused: Origin does not match Host');
        if (!sent && auth.principal) throw new ForbiddenError('cross-site request refused: an Origin or Referer header is required with a session cookie');
      }
      auths.set(req, auth);
    })().then(() => next(), next);
  };
}
