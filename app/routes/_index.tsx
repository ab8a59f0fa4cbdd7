import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [
  { title: 'Switchyard' },
  { name: 'description', content: 'Low-code automation: visual flows on a durable runtime.' },
];

/** Placeholder home page until the editor lands. */
export default function Index() {
  return (
    <main style={{ maxWidth: 640, margin: '12vh auto', padding: '0 24px', lineHeight: 1.6 }}>
      <h1 style={{ fontSize: 32, marginBottom: 8 }}>Switchyard</h1>
      <p data-testid="placeholder">
        Switchyard — the editor arrives in the next release; API at <a href="/api/nodes">/api</a>, health at{' '}
        <a href="/healthz">/healthz</a>
      </p>
    </main>
  );
}
