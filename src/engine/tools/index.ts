import { createComputerKind } from './computer/index.js';
import { createMcpKind } from './mcp/index.js';
import { createToolSearchKind } from './tool-search/index.js';
import type { HostedToolKind, ToolEnvironment } from './types.js';

export type { HostedToolKind, HostedToolSession, ItemSink, LocatedTool, OpenItem, ReplayTarget, StepContext, StepHook, StepOutcome, ToolEnvironment, ToolRequestContext } from './types.js';
export { prepareHostedTools, type PreparedHostedTools } from './prepare-hosted.js';

/** Makes one hosted tool kind for an engine. */
export type HostedToolFactory = (env: ToolEnvironment) => HostedToolKind;

// Every hosted tool Kestrel runs: adding one is one line here.
const HOSTED_TOOL_FACTORIES: HostedToolFactory[] = [createMcpKind, createToolSearchKind, createComputerKind];

/**
 * Creates the engine's hosted tool kinds, plus any extra ones (tests, embedders).
 *
 * @example const kinds = createHostedToolKinds(env);
 */
export function createHostedToolKinds(env: ToolEnvironment, extra: readonly HostedToolKind[] = []): HostedToolKind[] {
  return [...HOSTED_TOOL_FACTORIES.map((factory) => factory(env)), ...extra];
}
