export * from './json.js';
export * from './errors.js';
export * from './ui.js';
export * from './node.js';
export * from './credentials.js';
export * from './inbound.js';
export * from './knowledge.js';
export * from './plugin.js';
