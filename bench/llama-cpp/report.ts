/** Figures of the llama-cpp bench, and their Markdown page. */

export interface TargetFigures {
  rounds: number;
  /** Tokens generated per round (all parallel requests together). */
  tokensPerRound: number;
  /** Median over rounds of tokens ÷ wall time (prompt evaluation included). */
  tokensPerSecond: number;
  tokensPerSecondMin: number;
  tokensPerSecondMax: number;
  /** Median time to the first generated token (ms). */
  firstTokenMs: number;
}

export interface ModelFigures {
  id: string;
  parameters: number;
  fileBytes: number;
  options: Record<string, unknown>;
  promptTokens: number;
  concurrency1: {
    direct: TargetFigures;
    kestrel: TargetFigures;
    /** Kestrel ÷ direct, per round (both run back to back). */
    pairedRatios: number[];
    /** node-llama-cpp direct on a context of one sequence (no wait for a batch), and Kestrel ÷ it per round. */
    directOneSequence?: TargetFigures;
    pairedRatiosOneSequence?: number[];
    /** CPU ms per generated token: the bench process during direct runs, Kestrel's process during its runs. */
    cpuMsPerToken: { direct: number; kestrel: number };
  };
  concurrency4: { direct: TargetFigures; kestrel: TargetFigures };
}

export interface LlamaCppResults {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; loadAverageStart: number; loadAverageEnd: number; node: string };
  setup: { threads: number; contextSize: number; sequences: number; tokensPerRequest: number; input: string };
  models: ModelFigures[];
  checks: { description: string; value: string; target: string; pass: boolean | null }[];
}

function row(name: string, figures: TargetFigures, base: TargetFigures): string {
  return `| ${name} | ${figures.tokensPerSecond.toFixed(1)} | ${figures.tokensPerSecondMin.toFixed(1)}–${figures.tokensPerSecondMax.toFixed(1)} | ${(figures.tokensPerSecond / base.tokensPerSecond).toFixed(3)} | ${figures.firstTokenMs.toFixed(1)} | ${figures.rounds} × ${figures.tokensPerRound} |`;
}

/** The Markdown page `bench/results/llama-cpp-latest.md`. */
export function renderLlamaCppMarkdown(results: LlamaCppResults): string {
  const { machine, setup } = results;
  const lines = [
    '# llama-cpp backend: Kestrel vs node-llama-cpp directly',
    '',
    `Run ${results.startedAt} (${results.durationSeconds} s), ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}; load average ${machine.loadAverageStart.toFixed(2)} at the start, ${machine.loadAverageEnd.toFixed(2)} at the end (the machine is shared: absolute figures move with it, the paired ratios and CPU times less).`,
    '',
    '| Check | Value | Target | |',
    '|---|---|---|---|',
    ...results.checks.map((check) => `| ${check.description} | ${check.value} | ${check.target} | ${check.pass === null ? '' : check.pass ? 'pass' : 'FAIL'} |`),
    '',
    `Setup: generated llama GGUFs with random weights (\`src/backends/llama-cpp/__fixtures__/tiny-gguf.ts\`), F32; greedy decoding (temperature 0), ${setup.tokensPerRequest} tokens per request; the same chat-template rendering of one user message on both sides, its evaluated prefix reused across rounds on both sides; ${setup.threads} llama.cpp thread, context ${setup.contextSize} per sequence, ${setup.sequences} sequences. Kestrel runs as \`kestrel serve\` in its own process; the bench is its HTTP client (streamed \`POST /v1/responses\`, \`node:http\`); node-llama-cpp runs in the bench process (\`sequence.evaluate\`, each token detokenized).`,
    '',
  ];
  for (const model of results.models) {
    const options = model.options as { embedding: number; layers: number; heads: number; kvHeads: number; feedForward: number };
    lines.push(
      `## ${model.id}: ${model.parameters.toLocaleString('en')} parameters`,
      '',
      `${options.embedding} wide, ${options.layers} blocks, ${options.heads} heads / ${options.kvHeads} KV heads, feed-forward ${options.feedForward}; ${(model.fileBytes / 2 ** 20).toFixed(1)} MiB; prompt ${model.promptTokens} tokens. CPU per token: direct ${model.concurrency1.cpuMsPerToken.direct.toFixed(2)} ms, Kestrel ${model.concurrency1.cpuMsPerToken.kestrel.toFixed(2)} ms.`,
      '',
      '| Target | tokens/s (median) | range | ÷ direct | first token (ms) | rounds × tokens |',
      '|---|---|---|---|---|---|',
      row('concurrency 1: node-llama-cpp direct', model.concurrency1.direct, model.concurrency1.direct),
      row('concurrency 1: Kestrel `POST /v1/responses`', model.concurrency1.kestrel, model.concurrency1.direct),
      ...(model.concurrency1.directOneSequence ? [row('concurrency 1: node-llama-cpp direct, one-sequence context', model.concurrency1.directOneSequence, model.concurrency1.direct)] : []),
      row('concurrency 4: node-llama-cpp direct, 4 sequences', model.concurrency4.direct, model.concurrency4.direct),
      row('concurrency 4: Kestrel, 4 concurrent requests', model.concurrency4.kestrel, model.concurrency4.direct),
      '',
      `Paired ratios at concurrency 1 (Kestrel ÷ direct, per round): ${[...model.concurrency1.pairedRatios].sort((a, b) => a - b).map((ratio) => ratio.toFixed(2)).join(', ')}.`,
      '',
      ...(model.concurrency1.pairedRatiosOneSequence
        ? [`Kestrel ÷ direct on a one-sequence context, per round: ${[...model.concurrency1.pairedRatiosOneSequence].sort((a, b) => a - b).map((ratio) => ratio.toFixed(2)).join(', ')}.`, '']
        : []),
    );
  }
  lines.push(
    "Tokens per second are a round's generated tokens over its wall time, prompt evaluation and (for Kestrel) HTTP, SSE, the Responses event stream and the SQLite write included. At concurrency 1 each round runs both targets back to back, in alternating order, and the check is the median of the per-round ratios, which drift on the shared machine affects least. Kestrel starts decoding the next token before the previous one's events are sent (it dispatches llama.cpp's batch as soon as every sequence in use has its token queued), so its per-token work runs beside the decode; on a machine whose second core is not really free (on the 2-vCPU machine of the first runs, a busy loop on the other core doubled llama.cpp's time per token) that work still costs throughput, and the wall-clock ratio follows the CPU ratio. node-llama-cpp on a four-sequence context waits a turn of the event loop before each batch unless all four sequences have a token queued; on a one-sequence context it does not wait, the other single-request baseline.",
    '',
  );
  return lines.join('\n');
}
