import type { ReactNode } from 'react';
import type { LinksFunction } from '@remix-run/node';
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from '@remix-run/react';
import styles from '~/styles/app.css?url';

// No favicon file yet: an empty data URL stops the browser asking the server for /favicon.ico.
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }, { rel: 'icon', href: 'data:,' }];

/** The document shell shared by every route (and by the error boundary). */
export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Plain words for whatever went wrong while rendering a page; never a stack trace. */
export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? (error.status === 404 ? 'Page not found' : `Error ${error.status}`) : 'Something went wrong';
  return (
    <main className="auth">
      <div className="card">
        <h1>{title}</h1>
        <p>{isRouteErrorResponse(error) && error.status === 404 ? 'There is nothing at this address.' : 'Reload the page; if it keeps happening, check the server log.'}</p>
        <a className="btn" href="/flows">Back to flows</a>
      </div>
    </main>
  );
}
