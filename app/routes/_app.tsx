import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { api } from '~/editor/api';
import { requirePrincipal } from '~/editor/session.server';

/** Every signed-in page sits in this layout: the session check runs here, once, for all of them. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context.runtime);
  return json({ workspaceId: principal.workspaceId });
}

async function signOut() {
  try {
    await api('/auth/logout', { method: 'POST' });
  } finally {
    window.location.assign('/login');
  }
}

export default function AppLayout() {
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/flows">Switchyard</a>
        <nav aria-label="Main">
          <NavLink to="/flows">Flows</NavLink>
          <NavLink to="/templates">Templates</NavLink>
          <NavLink to="/executions">Executions</NavLink>
          <NavLink to="/conversations">Conversations</NavLink>
          <NavLink to="/escalations">Escalations</NavLink>
          <NavLink to="/decisions">Decisions</NavLink>
          <NavLink to="/knowledge">Knowledge</NavLink>
          <NavLink to="/payments">Payments</NavLink>
          <NavLink to="/usage">Usage</NavLink>
          <NavLink to="/credentials">Credentials</NavLink>
          <NavLink to="/plugins">Plugins</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <button type="button" className="small signout" onClick={() => void signOut()}>Sign out</button>
      </header>
      <div className="page"><Outlet /></div>
    </div>
  );
}
