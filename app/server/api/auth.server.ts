import { z } from 'zod';
import { ConflictError } from '../../../runtime/errors.js';
import { clearSessionCookie, requestAuth, setSessionCookie } from '../session.server.js';
import { definePublicRoute, defineRoute, type Route } from '../route.server.js';

const tag = 'auth';

export const setupBody = z.object({
  email: z.email().max(254),
  password: z.string().min(8).max(72),
});

export const loginBody = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const authRoutes: Route[] = [
  definePublicRoute({ method: 'get', path: '/auth/status', tag, summary: 'Whether the first owner still has to be created' },
    async ({ runtime }) => ({ body: { needsSetup: await runtime.auth.needsSetup() } })),

  definePublicRoute({ method: 'post', path: '/auth/setup', tag, status: 201, body: setupBody, summary: 'Create the first owner (only while setup is needed) and sign in' },
    async ({ runtime, req, res, body }) => {
      if (!(await runtime.auth.needsSetup())) throw new ConflictError('an owner already exists; sign in instead');
      const { userId } = await runtime.auth.setupOwner(body);
      const session = await runtime.auth.login({ ...body, clientKey: req.ip ?? 'unknown' });
      setSessionCookie(req, res, session.sessionToken, session.expiresAt);
      return { status: 201, body: { userId, expiresAt: session.expiresAt.toISOString() } };
    }),

  definePublicRoute({ method: 'post', path: '/auth/login', tag, body: loginBody, summary: 'Sign in with email and password; sets the session cookie' },
    async ({ runtime, req, res, body }) => {
      const session = await runtime.auth.login({ ...body, clientKey: req.ip ?? 'unknown' });
      setSessionCookie(req, res, session.sessionToken, session.expiresAt);
      return { body: { expiresAt: session.expiresAt.toISOString() } };
    }),

  defineRoute({ method: 'post', path: '/auth/logout', tag, status: 204, summary: 'End the session and clear its cookie' },
    async ({ runtime, req, res }) => {
      const { sessionToken } = requestAuth(req);
      if (sessionToken) {
        await runtime.auth.logout(sessionToken);
        clearSessionCookie(req, res);
      }
      return { status: 204 };
    }),

  defineRoute({ method: 'get', path: '/auth/me', tag, summary: 'Who the caller is' },
    async ({ runtime, req, principal }) => {
      const user = principal.userId ? await runtime.auth.getUser(principal.userId) : undefined;
      return { body: { ...principal, ...(user ? { email: user.email, role: user.role } : {}), via: requestAuth(req).via } };
    }),
];
