import type { LlamaContext } from 'node-llama-cpp';

/**
 * When node-llama-cpp evaluates the tokens queued on a context's sequences. Its default waits for
 * the next turn of the event loop (`setImmediate`) unless every sequence of the context has a
 * token queued, so with fewer requests than sequences the JS work of each token (Responses
 * events, the SSE write) runs before llama.cpp starts on the next token, not beside it. This
 * schedule dispatches at once when every sequence in use has its token queued (one request:
 * always), and otherwise waits a turn, as node-llama-cpp does, so the others join the batch.
 *
 * @example
 * const context = await model.createContext({ sequences: 4, batching: { dispatchSchedule: busySequencesSchedule(() => busy, () => queuedSequences(context)) } });
 */
export function busySequencesSchedule(busy: () => number, queued: () => number | undefined): (dispatch: () => void) => void {
  return (dispatch) => {
    const waiting = queued();
    if (waiting !== undefined && waiting >= busy()) dispatch();
    else setImmediate(dispatch);
  };
}

/** How many sequences of the context have tokens queued for evaluation (node-llama-cpp 3.21 keeps the set; undefined when it does not). */
export function queuedSequences(context: LlamaContext | null): number | undefined {
  const ids = (context as unknown as { _queuedDecodeSequenceIds?: unknown } | null)?._queuedDecodeSequenceIds;
  return ids instanceof Set ? ids.size : undefined;
}
