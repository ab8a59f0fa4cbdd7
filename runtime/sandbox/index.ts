export {
  createSandboxPool,
  type EvaluateOutcome,
  type ExpressionData,
  type SandboxPool,
  type SandboxPoolOptions,
} from './pool.js';
export { SandboxError, type SandboxErrorCode } from './errors.js';
