import type { ModelTool } from '../../backends/types.js';
import type { InputItem, ResponseCreateParams, StoredItem } from '../../protocol/index.js';
import type { Owner } from '../../store/types.js';
import type { ResolvedModel } from '../model-registry.js';
import type { PreparedTools } from '../request-tools.js';
import type { HostedToolKind, HostedToolSession, LocatedTool, ReplayTarget } from './types.js';

/** The hosted tool sessions of one response. */
export interface PreparedHostedTools {
  readonly sessions: readonly HostedToolSession[];
  /** Tools the sessions offer the model now. */
  modelTools(): ModelTool[];
  /** The session that runs a model tool call with this backend name, if any. */
  ownerOf(name: string): HostedToolSession | undefined;
  /** Replays a history item through the session of its type; false when no session takes it. */
  replay(item: InputItem | StoredItem, param: string | null, target: ReplayTarget): boolean;
  /** Closes every session (once, however the response ended). */
  close(): Promise<void>;
}

/** A response without hosted tools. */
export const NO_HOSTED_TOOLS: PreparedHostedTools = {
  sessions: [],
  modelTools: () => [],
  ownerOf: () => undefined,
  replay: () => false,
  close: async () => {},
};

/**
 * Prepares the hosted tool sessions of a request: each kind whose tool types appear in `tools`
 * or whose item types appear in the history validates its part and opens a session.
 *
 * @example const hosted = await prepareHostedTools(kinds, { allTools, items, tools, params, owner, model });
 */
export async function prepareHostedTools(
  kinds: readonly HostedToolKind[],
  request: {
    allTools: LocatedTool[];
    items: { item: InputItem | StoredItem; param: string | null }[];
    tools: PreparedTools;
    params: ResponseCreateParams;
    owner: Owner;
    model: ResolvedModel;
  },
): Promise<PreparedHostedTools> {
  if (kinds.length === 0) return NO_HOSTED_TOOLS;
  const sessions: HostedToolSession[] = [];
  const byItemType = new Map<string, HostedToolSession>();
  try {
    for (const kind of kinds) {
      const specs = request.allTools.filter((entry) => kind.toolTypes.includes(entry.tool.type));
      const items = request.items.filter((entry) => kind.itemTypes.includes(entry.item.type));
      if (specs.length === 0 && items.length === 0) continue;
      const session = await kind.prepare({ ...request, specs, items });
      if (!session) continue;
      sessions.push(session);
      for (const type of kind.itemTypes) byItemType.set(type, session);
    }
  } catch (error) {
    await Promise.allSettled(sessions.map((session) => session.close?.()));
    throw error;
  }
  if (sessions.length === 0) return NO_HOSTED_TOOLS;
  let closed: Promise<void> | null = null;
  return {
    sessions,
    modelTools: () => sessions.flatMap((session) => session.modelTools()),
    ownerOf: (name) => sessions.find((session) => session.owns(name)),
    replay(item, param, target) {
      const session = byItemType.get(item.type);
      if (!session?.replay) return false;
      session.replay(item, param, target);
      return true;
    },
    close: () => (closed ??= Promise.allSettled(sessions.map((session) => session.close?.())).then(() => {})),
  };
}
