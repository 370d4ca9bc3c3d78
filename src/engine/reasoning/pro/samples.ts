/** How one parallel sample ended. */
export interface SampleOutcome<T> {
  /** Which sample (0 … count-1), in the order they were started. */
  index: number;
  /** The sample's result, when it succeeded. */
  value?: T;
  /** Why it failed, when it did (not set for samples stopped early). */
  error?: unknown;
  /** True when the sample was stopped because the outcome was already decided (or the run was aborted). */
  stopped?: boolean;
  /** Milliseconds from the start of all samples to this one's end. */
  ms: number;
}

export interface RunSamplesOptions<T> {
  /** Aborts every sample (client disconnect, cancel). */
  signal: AbortSignal;
  /** Called as each sample ends, with how many have ended so far. */
  onSettled?: (outcome: SampleOutcome<T>, done: number, total: number) => void;
  /** Called after each success: returning true stops the remaining samples (e.g. the vote is decided). */
  decided?: (finished: readonly SampleOutcome<T>[]) => boolean;
}

/**
 * Runs `count` samples at once, each with its own abort signal (aborted with the parent, or when
 * `decided` says the rest cannot change the outcome), and returns their outcomes in the order they
 * ended. It never throws: failures are outcomes. After a parent abort, check `signal.aborted`.
 *
 * @example
 * const outcomes = await runSamples(4, (index, signal) => sampleOnce(index, signal), { signal: run.signal });
 * const answers = outcomes.flatMap((outcome) => (outcome.value ? [outcome.value] : []));
 */
export async function runSamples<T>(count: number, run: (index: number, signal: AbortSignal) => Promise<T>, options: RunSamplesOptions<T>): Promise<SampleOutcome<T>[]> {
  const started = performance.now();
  const finished: SampleOutcome<T>[] = [];
  const controllers = Array.from({ length: count }, () => new AbortController());
  const stopAll = () => controllers.forEach((controller) => controller.abort());
  if (options.signal.aborted) stopAll();
  else options.signal.addEventListener('abort', stopAll, { once: true });
  let decided = false;
  try {
    await Promise.all(
      controllers.map(async (controller, index) => {
        let outcome: SampleOutcome<T>;
        try {
          const value = await run(index, controller.signal);
          outcome = controller.signal.aborted ? { index, stopped: true, ms: performance.now() - started } : { index, value, ms: performance.now() - started };
        } catch (error) {
          outcome = controller.signal.aborted ? { index, stopped: true, ms: performance.now() - started } : { index, error, ms: performance.now() - started };
        }
        finished.push(outcome);
        options.onSettled?.(outcome, finished.length, count);
        if (!decided && outcome.value !== undefined && options.decided?.(finished)) {
          decided = true;
          stopAll();
        }
      }),
    );
  } finally {
    options.signal.removeEventListener('abort', stopAll);
  }
  return finished;
}
