import type { PinnedOutput } from '../store/pin-slice';
import { PortOutputs } from './StepData';

/** The "pinned" mark, in words (not only an icon). */
export function PinnedBadge() {
  return <span className="badge pinned" data-testid="pinned-badge" title="This step's output is pinned">📌 Pinned</span>;
}

/**
 * The pinned output of the selected node, with Unpin. `supported` says whether this server reuses
 * pins in test runs; until it does, the step still runs and the user is told so.
 */
export function PinnedPanel({ output, supported, onUnpin }: { output: PinnedOutput; supported: boolean | undefined; onUnpin?(): void }) {
  return (
    <section className="stack pinned-panel" aria-label="Pinned output">
      <div className="row">
        <PinnedBadge />
        <span className="grow" />
        {onUnpin && <button type="button" className="small" onClick={onUnpin}>Unpin</button>}
      </div>
      <p className="muted" style={{ margin: 0 }}>
        {supported === false
          ? 'Kept in this browser. This server does not reuse pinned outputs yet: test runs still run this step.'
          : 'Test runs reuse this output instead of running this step (nothing outside is called). Kept in this browser.'}
      </p>
      <PortOutputs output={output} />
    </section>
  );
}
