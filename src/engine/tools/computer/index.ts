import { CoordinateSpace } from '../../../computer/coordinates.js';
import { matchesDomain, UrlPolicy } from '../../../computer/safety/url-policy.js';
import { ApiError, invalidRequest, notFound } from '../../../protocol/errors.js';
import { computerFunctionName } from '../../request-tools.js';
import type { HostedToolFactory } from '../index.js';
import type { HostedToolKind, HostedToolSession, ToolEnvironment, ToolRequestContext } from '../types.js';
import { ClientComputerSession } from './client-session.js';
import { readComputerHistory } from './history.js';
import { HostedComputerRun } from './hosted-run.js';
import { screenshotPruningHook } from './prune.js';
import { ComputerSessionPool } from './session-pool.js';
import { computerSettings, modelComputerSettings, type ComputerSettings } from './settings.js';
import { readComputerSpec, type ComputerSpec } from './spec.js';

export { ComputerSessionPool } from './session-pool.js';
export { pruneScreenshots } from './prune.js';

/**
 * Computer use for any model (`{"type":"computer"}`, `computer_use_preview`): client-executed by default, run by
 * Kestrel itself with the hosted extension (`environment`, `start_url`, `display`, `session`). Models whose backend
 * has native computer use get it (OpenAI `computer`, Anthropic `computer_2025…`); every other model gets a
 * `computer` function whose calls become `computer_call` items. See docs/computer-use.md.
 *
 * @example const kind = createComputerKind(env);
 */
export const createComputerKind: HostedToolFactory = (env: ToolEnvironment): HostedToolKind => {
  const settings = computerSettings(env.config);
  let pool: ComputerSessionPool | undefined;
  return {
    name: 'computer',
    toolTypes: ['computer', 'computer_use_preview', 'computer_use'],
    itemTypes: ['computer_call', 'computer_call_output'],
    async prepare(ctx) {
      if (ctx.specs.length > 1) throw invalidRequest('Only one computer tool may be given.', ctx.specs[1].param, 'duplicate_tool');
      pool ??= new ComputerSessionPool(settings, env.dataDir, env.log);
      return prepareComputer(ctx, settings, pool, env);
    },
    async close() {
      await pool?.closeAll();
    },
  };
};

async function prepareComputer(ctx: ToolRequestContext, settings: ComputerSettings, pool: ComputerSessionPool, env: ToolEnvironment): Promise<HostedToolSession | null> {
  const history = readComputerHistory(ctx.items, ctx.params.input);
  const toolName = computerFunctionName(new Set(ctx.tools.tools.map((tool) => tool.name)));
  const model = modelComputerSettings(env.config, ctx.model.publicName);
  const vision = ctx.model.capabilities.vision;
  const pruning = screenshotPruningHook({ toolName, keep: settings.keepScreenshots, chunk: settings.pruneChunk });
  const spec: ComputerSpec | undefined = ctx.specs[0] ? readComputerSpec(ctx.specs[0]) : undefined;

  // History without a computer tool in this request: validated above, left out of the model's view as before
  // (a call of a tool the model is not offered would confuse it, and some providers refuse it).
  if (!spec) return null;
  if (spec.mode === 'client') {
    if (!vision) {
      throw invalidRequest(
        `The model \`${ctx.model.publicName}\` does not accept images, and a client-executed computer answers with screenshots. Let Kestrel run the computer ({"type":"computer","environment":"browser"}): it can show the model an accessibility snapshot instead.`,
        `${spec.param}.type`,
        'unsupported_model',
      );
    }
    const size = spec.display ?? history.lastScreenshot ?? settings.display;
    const space = new CoordinateSpace({ screen: size, grid: model.grid });
    const native = model.native !== false && !model.grid ? { type: 'computer' as const, display: size, environment: nativeEnvironment(spec.environment) } : undefined;
    return new ClientComputerSession({ toolName, space, history, native, pruning });
  }

  const grounding = spec.grounding ?? model.grounding ?? (vision ? 'pixels' : 'refs');
  if (!vision && grounding !== 'refs') {
    throw invalidRequest(`The model \`${ctx.model.publicName}\` does not accept images: use "grounding": "refs" (a browser's accessibility snapshot).`, `${spec.param}.grounding`, 'unsupported_model');
  }
  if (!vision && spec.environment === 'desktop') {
    throw invalidRequest(`The model \`${ctx.model.publicName}\` does not accept images, and a desktop can only be seen in screenshots.`, `${spec.param}.environment`, 'unsupported_model');
  }
  const sessionId = spec.sessionId ?? history.acknowledgement?.sessionId;
  const existing = sessionId ? pool.get(sessionId, ctx.owner) : undefined;
  if (sessionId && !existing) {
    throw notFound(`Computer session '${sessionId}' not found: it closed (idle timeout, cancel) or belongs to another key. Leave out "session" to start a new one.`, `${spec.param}.session`, 'computer_session_not_found');
  }
  if (existing && spec.sessionId && (ctx.specs[0].tool as { environment?: unknown }).environment !== undefined && existing.environment !== spec.environment) {
    throw invalidRequest(`Computer session '${existing.id}' is a ${existing.environment}, not a ${spec.environment}.`, `${spec.param}.environment`, 'invalid_value');
  }
  if (existing?.busyWith) {
    throw new ApiError(409, `Computer session '${existing.id}' is in use by response ${existing.busyWith}; wait for it to finish or cancel it.`, { param: `${spec.param}.session`, code: 'computer_session_busy' });
  }
  if (!existing && pool.count(ctx.owner) >= settings.maxSessionsPerKey) {
    throw new ApiError(429, `This API key already has ${settings.maxSessionsPerKey} open computer sessions; continue one with "session", or wait for one to idle out.`, {
      type: 'rate_limit_error',
      param: spec.param,
      code: 'computer_sessions_exhausted',
    });
  }
  const network = settings.network;
  const configured = network.allowedDomains;
  if (spec.allowedDomains && configured.length) {
    const outside = spec.allowedDomains.find((domain) => !configured.some((pattern) => matchesDomain(domain.replace(/^\*\./, ''), pattern)));
    if (outside) throw invalidRequest(`allowed_domains may only narrow the server's list (${configured.join(', ')}); "${outside}" is outside it.`, `${spec.param}.allowed_domains`, 'invalid_value');
  }
  const policy = new UrlPolicy({
    allowedDomains: spec.allowedDomains ?? configured,
    blockedDomains: network.blockedDomains,
    allowLoopback: network.allowLoopback,
    allowPrivateNetwork: network.allowPrivateNetwork,
    allowFileUrls: network.allowFileUrls,
  });
  if (spec.startUrl && !existing) {
    const verdict = await policy.checkUrl(spec.startUrl);
    if (!verdict.allowed) throw invalidRequest(`start_url is blocked: ${verdict.message}`, `${spec.param}.start_url`, 'blocked_url');
  }
  let relevantDomains = spec.allowedDomains ?? configured;
  if (relevantDomains.length === 0 && spec.startUrl) relevantDomains = [new URL(spec.startUrl).hostname].filter(Boolean);
  const display = existing?.display ?? spec.display ?? settings.display;
  const scale = model.scale ?? 1;
  const image = { width: Math.round(display.width * scale), height: Math.round(display.height * scale) };
  const native = grounding === 'pixels' && !model.grid && model.native !== false ? { type: 'computer' as const, display: image, environment: spec.environment === 'desktop' ? ('linux' as const) : ('browser' as const) } : undefined;
  return new HostedComputerRun({
    pool,
    toolName,
    grounding,
    scale,
    grid: model.grid,
    native,
    history,
    vision,
    approvalTimeoutMs: settings.approvalTimeoutMs,
    existing,
    open: { owner: ctx.owner, environment: spec.environment === 'desktop' ? 'desktop' : 'browser', display, startUrl: spec.startUrl, policy, relevantDomains, model: ctx.model.publicName },
    pruning,
  });
}

function nativeEnvironment(environment: ComputerSpec['environment'] | undefined): 'browser' | 'linux' | 'mac' | 'windows' {
  if (environment === 'mac' || environment === 'windows' || environment === 'linux') return environment;
  return environment === 'desktop' ? 'linux' : 'browser';
}
