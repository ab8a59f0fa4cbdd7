import type { FitViewOptions } from '@xyflow/react';

/** Room around the flow when a fit leaves the panels out of it. */
const MARGIN_PX = 40;

/**
 * How an opened flow is first fitted. The side panel (the inspector, or the version history) opens
 * to the right of the canvas as soon as a node is clicked, and narrows the canvas by its width; React
 * Flow keeps the viewport as it was, so a fit to the whole width left the right end of the flow
 * hidden behind the panel. This fit keeps the panel's strip free (unless a panel is already open,
 * in which case the canvas is already the visible area), so clicking a node moves nothing.
 */
export function firstFitOptions(canvas: Element | null): FitViewOptions {
  const panelOpen = canvas?.parentElement?.querySelector(':scope > .side') != null;
  // One width for the CSS and this fit: `--side-width` on :root.
  const side = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--side-width')) || 380;
  const edge = `${MARGIN_PX}px` as const;
  return {
    maxZoom: 1.2,
    padding: { top: edge, bottom: edge, left: edge, right: panelOpen ? edge : `${side + MARGIN_PX}px` },
  };
}
