/** Public entry: the Hostaway wire schemas and the sandbox. */
export * from './hostaway/schemas.js';
export { type Sandbox, SandboxOptions, type SandboxOptionsInput, startSandbox } from './sandbox/index.js';
