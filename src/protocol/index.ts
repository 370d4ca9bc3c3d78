/** The wire: Responses, Chat Completions and Conversations types, zod schemas, SSE framing, errors. */
export * from './errors.js';
export * from './ids.js';
export * from './items.js';
export * from './tools.js';
export * from './responses-request.js';
export * from './response.js';
export * from './events.js';
export * from './sse.js';
export * from './validation.js';
export * from './conversations.js';
export * from './chat.js';
