import { redirect } from '@remix-run/node';
import type { Principal } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';

/** `createHttpServer` passes the runtime to every loader as its load context. */
declare module '@remix-run/node' {
  interface AppLoadContext {
    runtime: Runtime;
  }
}

const SESSION_COOKIE = 'sy_session';

function sessionToken(request: Request): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The signed-in principal, or undefined. */
export async function currentPrincipal(request: Request, runtime: Runtime): Promise<Principal | undefined> {
  const token = sessionToken(request);
  return token ? runtime.auth.authenticateSession(token) : undefined;
}

/**
 * Guards every page: before the first owner exists everything leads to /setup, without a session to
 * /login (remembering where the user was going).
 */
export async function requirePrincipal(request: Request, runtime: Runtime): Promise<Principal> {
  if (await runtime.auth.needsSetup()) throw redirect('/setup');
  const principal = await currentPrincipal(request, runtime);
  if (!principal) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return principal;
}
