import type { Size } from '../../../computer/types.js';
import { invalidRequest } from '../../../protocol/errors.js';
import type { LocatedTool } from '../types.js';

/** The computer tool of a request, read from its wire shape. */
export interface ComputerSpec {
  param: string;
  wireType: string;
  /** `client`: the response ends with `computer_call` and the client acts. `hosted`: Kestrel runs the computer. */
  mode: 'client' | 'hosted';
  /** Hosted: what Kestrel runs. Client: what the client said it runs (preview tool), as a hint for the model. */
  environment: 'browser' | 'desktop' | 'linux' | 'mac' | 'windows';
  display?: Size;
  startUrl?: string;
  /** Hosted: continue this session instead of opening one. */
  sessionId?: string;
  /** Hosted: narrows the configured allow list for this request. */
  allowedDomains?: string[];
  grounding?: 'pixels' | 'marks' | 'refs';
}

const PREVIEW_ENVIRONMENTS: Record<string, ComputerSpec['environment']> = { browser: 'browser', mac: 'mac', windows: 'windows', linux: 'linux', ubuntu: 'linux' };
const HOSTED_FIELDS = ['environment', 'start_url', 'session', 'display', 'allowed_domains', 'grounding'];

function size(value: unknown, param: string): Size | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as { width?: unknown; height?: unknown };
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 200 && n <= 4096;
  if (typeof value !== 'object' || !ok(v.width) || !ok(v.height)) {
    throw invalidRequest('display must be {"width": W, "height": H} with whole numbers from 200 to 4096.', param, 'invalid_value');
  }
  return { width: v.width as number, height: v.height as number };
}

/**
 * Reads the computer tool: GA `{"type":"computer"}` (client-executed), the preview tool (client-executed, with its
 * display and environment), or the Kestrel extension that asks Kestrel to run the computer:
 * `{"type":"computer","environment":"browser"|"desktop","start_url":…,"display":{…},"session":"cs_…"}`.
 * Throws a 400 naming the field for anything malformed.
 *
 * @example readComputerSpec({ tool: { type: 'computer', environment: 'browser' }, param: 'tools[0]' }).mode // 'hosted'
 */
export function readComputerSpec(located: LocatedTool): ComputerSpec {
  const { tool, param } = located;
  const raw = tool as Record<string, unknown>;
  if (tool.type === 'computer_use_preview') {
    const width = raw.display_width;
    const height = raw.display_height;
    const display = size({ width, height }, `${param}.display_width`);
    const environment = PREVIEW_ENVIRONMENTS[String(raw.environment)];
    if (!environment) throw invalidRequest(`${param}.environment must be one of browser, mac, windows, ubuntu, linux.`, `${param}.environment`, 'invalid_value');
    return { param, wireType: tool.type, mode: 'client', environment, display };
  }
  const hosted = HOSTED_FIELDS.some((field) => raw[field] !== undefined && raw[field] !== null);
  if (!hosted) return { param, wireType: tool.type, mode: 'client', environment: 'browser' };
  const environment = raw.environment ?? 'browser';
  if (environment !== 'browser' && environment !== 'desktop') {
    throw invalidRequest(`${param}.environment must be "browser" or "desktop" for a computer Kestrel runs.`, `${param}.environment`, 'invalid_value');
  }
  const startUrl = raw.start_url;
  if (startUrl !== undefined && startUrl !== null) {
    if (typeof startUrl !== 'string') throw invalidRequest(`${param}.start_url must be a URL string.`, `${param}.start_url`, 'invalid_type');
    try {
      new URL(startUrl);
    } catch {
      throw invalidRequest(`${param}.start_url is not a valid absolute URL.`, `${param}.start_url`, 'invalid_value');
    }
  }
  const session = raw.session;
  if (session !== undefined && session !== null && (typeof session !== 'string' || !/^cs_[A-Za-z0-9]+$/.test(session))) {
    throw invalidRequest(`${param}.session must be a computer session id (cs_…).`, `${param}.session`, 'invalid_value');
  }
  const allowed = raw.allowed_domains;
  if (allowed !== undefined && allowed !== null && (!Array.isArray(allowed) || allowed.some((entry) => typeof entry !== 'string' || !entry))) {
    throw invalidRequest(`${param}.allowed_domains must be an array of domain names.`, `${param}.allowed_domains`, 'invalid_type');
  }
  const grounding = raw.grounding;
  if (grounding !== undefined && grounding !== null && grounding !== 'pixels' && grounding !== 'marks' && grounding !== 'refs') {
    throw invalidRequest(`${param}.grounding must be "pixels", "marks" or "refs".`, `${param}.grounding`, 'invalid_value');
  }
  if (environment === 'desktop' && (grounding === 'marks' || grounding === 'refs')) {
    throw invalidRequest(`${param}.grounding "${grounding}" needs a browser; a desktop shows screenshots only.`, `${param}.grounding`, 'invalid_value');
  }
  return {
    param,
    wireType: tool.type,
    mode: 'hosted',
    environment,
    display: size(raw.display, `${param}.display`),
    startUrl: typeof startUrl === 'string' ? startUrl : undefined,
    sessionId: typeof session === 'string' ? session : undefined,
    allowedDomains: Array.isArray(allowed) ? (allowed as string[]) : undefined,
    grounding: (grounding as ComputerSpec['grounding']) ?? undefined,
  };
}
