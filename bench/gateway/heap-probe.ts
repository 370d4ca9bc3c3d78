/**
 * Live heap of a server after a full garbage collection, read through its inspector (the server runs with
 * `--inspect=127.0.0.1:0`). RSS alone cannot tell a leak from V8 growing its heap lazily; the heap that survives a
 * full GC can: if it grows over a soak, something is kept per request.
 */
import { WebSocket } from 'undici';

export interface HeapUsage {
  /** bytes of live objects after a full GC */
  usedBytes: number;
  /** bytes V8 has reserved for the heap */
  totalBytes: number;
}

const TIMEOUT_MS = 15_000;

/**
 * Connects to `inspectorUrl`, runs a full GC, reads the heap usage, disconnects.
 *
 * @example const heap = await heapAfterGc('ws://127.0.0.1:9229/3f1c…'); console.log(heap.usedBytes);
 */
export function heapAfterGc(inspectorUrl: string): Promise<HeapUsage> {
  return new Promise<HeapUsage>((resolve, reject) => {
    const socket = new WebSocket(inspectorUrl);
    const timer = setTimeout(() => finish(new Error(`inspector at ${inspectorUrl} did not answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    let done = false;
    const finish = (error: Error | null, usage?: HeapUsage) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(usage as HeapUsage);
    };
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: { usedSize?: number; totalSize?: number }; error?: { message: string } };
      if (message.error) return finish(new Error(`inspector: ${message.error.message}`));
      // A second collection catches what the first one only unlinked (weak references, finalizers).
      if (message.id === 1) socket.send(JSON.stringify({ id: 2, method: 'HeapProfiler.collectGarbage' }));
      else if (message.id === 2) socket.send(JSON.stringify({ id: 3, method: 'Runtime.getHeapUsage' }));
      else if (message.id === 3) finish(null, { usedBytes: message.result?.usedSize ?? Number.NaN, totalBytes: message.result?.totalSize ?? Number.NaN });
    });
    socket.addEventListener('error', () => finish(new Error(`cannot reach the inspector at ${inspectorUrl}`)));
  });
}
