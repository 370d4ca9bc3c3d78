/** Kestrel as a library: start a server in-process, or use the engine and protocol directly. */
export { startKestrel, type Kestrel, type KestrelOptions } from './server/index.js';
export { Engine, ModelRegistry } from './engine/index.js';
export * from './backends/index.js';
export type { Store } from './store/types.js';
