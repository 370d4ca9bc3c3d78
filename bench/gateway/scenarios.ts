/** The four requests the gateway bench sends, and where it sends them (direct, Kestrel, Portkey, and the optional floor proxy). */
import { ANSWER_TEXT } from './mock-payloads.js';

export type ScenarioId = 'chat' | 'chat-stream' | 'responses' | 'responses-stream';
export type TargetName = 'direct' | 'kestrel' | 'portkey' | 'floor';

export interface Scenario {
  id: ScenarioId;
  path: '/v1/chat/completions' | '/v1/responses';
  stream: boolean;
  body: string;
  /** a whole, successful answer contains this */
  completeMarker: string;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'chat',
    path: '/v1/chat/completions',
    stream: false,
    body: JSON.stringify({ model: 'mock', messages: [{ role: 'user', content: 'Say hi' }] }),
    completeMarker: ANSWER_TEXT,
  },
  {
    id: 'chat-stream',
    path: '/v1/chat/completions',
    stream: true,
    body: JSON.stringify({ model: 'mock', messages: [{ role: 'user', content: 'Say hi' }], stream: true }),
    completeMarker: 'data: [DONE]',
  },
  { id: 'responses', path: '/v1/responses', stream: false, body: JSON.stringify({ model: 'mock', input: 'Say hi' }), completeMarker: ANSWER_TEXT },
  {
    id: 'responses-stream',
    path: '/v1/responses',
    stream: true,
    body: JSON.stringify({ model: 'mock', input: 'Say hi', stream: true }),
    completeMarker: 'response.completed',
  },
];

export interface Target {
  name: TargetName;
  /** e.g. `http://127.0.0.1:8080` */
  origin: string;
  headers: Record<string, string>;
  /** the server process whose CPU and memory are measured (none for direct) */
  pid?: number;
  /** its inspector, to read the live heap after a full GC */
  inspectorUrl?: string;
  /** what this target does with each scenario, when it is not plain forwarding */
  notes: Partial<Record<ScenarioId, string>>;
}

const JSON_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };

/**
 * The mock upstream itself: the baseline every gateway's added latency is measured against.
 *
 * @example directTarget('http://127.0.0.1:40001')
 */
export function directTarget(mockOrigin: string): Target {
  return {
    name: 'direct',
    origin: mockOrigin,
    headers: { ...JSON_HEADERS },
    notes: { responses: 'the mock answers /v1/responses natively', 'responses-stream': 'the mock answers /v1/responses natively' },
  };
}

/**
 * Kestrel started with `--upstream <mock>/v1`: both endpoints become Chat Completions calls to the mock.
 *
 * @example kestrelTarget('http://127.0.0.1:40002', 1234)
 */
export function kestrelTarget(origin: string, pid: number): Target {
  const translated = 'Responses → Chat Completions upstream, stored in SQLite';
  return { name: 'kestrel', origin, pid, headers: { ...JSON_HEADERS }, notes: { responses: translated, 'responses-stream': translated } };
}

/**
 * Portkey with provider `openai` and a custom host. Portkey 1.15.2 maps `/v1/responses` for that provider to
 * `<custom host>/responses` (a pass-through): it cannot serve the Responses API over a Chat-Completions-only upstream.
 *
 * @example portkeyTarget('http://127.0.0.1:40003', 1235, 'http://127.0.0.1:40001')
 */
export function portkeyTarget(origin: string, pid: number, mockOrigin: string): Target {
  const passThrough = 'pass-through to the mock’s native /v1/responses (Portkey cannot translate Responses → Chat Completions for an OpenAI-compatible host)';
  return {
    name: 'portkey',
    origin,
    pid,
    headers: { ...JSON_HEADERS, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${mockOrigin}/v1` },
    notes: { responses: passThrough, 'responses-stream': passThrough },
  };
}

/**
 * The minimal Node proxy (`minimal-proxy.ts`): node:http in, undici out, bytes unchanged — the floor any Node gateway pays.
 *
 * @example floorTarget('http://127.0.0.1:40004', 1236)
 */
export function floorTarget(origin: string, pid: number): Target {
  const note = 'bytes piped unchanged to the mock (no parsing, no translation, no store): the cost of any Node proxy on this machine';
  return { name: 'floor', origin, pid, headers: { ...JSON_HEADERS }, notes: { chat: note, 'chat-stream': note, responses: note, 'responses-stream': note } };
}
