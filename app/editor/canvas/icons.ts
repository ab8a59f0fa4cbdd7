/**
 * Node icons by the catalog's icon name. Plain characters keep the bundle small and need no icon
 * font; an unknown name (a plugin's) falls back to a box.
 */
const ICONS: Record<string, string> = {
  play: '▶', webhook: '⚡', clock: '◷', pencil: '✎', code: '⌨', globe: '⊕', split: '⋔', route: '⇶',
  merge: '⋈', repeat: '↻', layers: '☰', hourglass: '⌛', workflow: '⧉', reply: '↩', octagon: '■',
  box: '▢', mail: '✉', message: '✆', bot: '☺', shield: '⛨', card: '▭', bell: '♪',
};

export function iconFor(name: string | undefined): string {
  return (name && ICONS[name]) || ICONS.box!;
}
