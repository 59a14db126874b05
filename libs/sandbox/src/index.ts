export { ScriptSandbox } from './script-sandbox';
export { formatScriptError } from './script-outcome';
export {
  DEFAULT_SANDBOX_LIMITS,
  type HostApi,
  type LogLevel,
  type LogLine,
  type SandboxLimitKind,
  type SandboxLimits,
  type SandboxOptions,
  type ScriptError,
  type ScriptInput,
  type ScriptKind,
  type ScriptOutcome,
  type ScriptResponse,
} from './sandbox.types';
