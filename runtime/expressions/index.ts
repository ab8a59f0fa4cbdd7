export { hasExpression, parseTemplate, type TemplatePart } from './template.js';
export { ExpressionError, resolveProps, type ExpressionSandbox, type ResolveOptions, type Resolved } from './resolve.js';
export { lookupPath, parsePath, NEEDS_SANDBOX, type PropertyPath } from './path.js';
