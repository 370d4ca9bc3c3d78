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

export interface LlamaCppResults {
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; loadAverageStart: number; loadAverageEnd: number; node: string };
  model: Record<string, unknown> & { parameters: number; fileBytes: number };
  setup: { threads: number; contextSize: number; sequences: number; tokensPerRequest: number; promptTokens: number; input: string };
  concurrency1: { direct: TargetFigures; kestrel: TargetFigures; /** Kestrel ÷ direct, per round (both run back to back). */ pairedRatios: number[]; /** CPU ms per generated token: the bench process during direct runs, Kestrel's process during its runs. */ cpuMsPerToken: { direct: number; kestrel: number } };
  concurrency4: { direct: TargetFigures; kestrel: TargetFigures };
  checks: { description: string; value: string; target: string; pass: boolean | null }[];
}

function row(name: string, figures: TargetFigures, base: TargetFigures): string {
  return `| ${name} | ${figures.tokensPerSecond.toFixed(1)} | ${figures.tokensPerSecondMin.toFixed(1)}–${figures.tokensPerSecondMax.toFixed(1)} | ${(figures.tokensPerSecond / base.tokensPerSecond).toFixed(3)} | ${figures.firstTokenMs.toFixed(1)} | ${figures.rounds} × ${figures.tokensPerRound} |`;
}

/** The Markdown page `bench/results/llama-cpp-latest.md`. */
export function renderLlamaCppMarkdown(results: LlamaCppResults): string {
  const { machine, model, setup } = results;
  const lines = [
    '# llama-cpp backend: Kestrel vs node-llama-cpp directly',
    '',
    `Run ${results.startedAt} (${results.durationSeconds} s), ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}; load average ${machine.loadAverageStart.toFixed(2)} at the start, ${machine.loadAverageEnd.toFixed(2)} at the end (the machine is shared: absolute figures move with it, the ratios less).`,
    '',
    '| Check | Value | Target | |',
    '|---|---|---|---|',
    ...results.checks.map((check) => `| ${check.description} | ${check.value} | ${check.target} | ${check.pass === null ? '' : check.pass ? 'pass' : 'FAIL'} |`),
    '',
    `Model: a generated llama GGUF with random weights, ${model.parameters.toLocaleString('en')} parameters (${model.embedding} wide, ${model.layers} blocks, ${model.heads} heads / ${model.kvHeads} KV heads, feed-forward ${model.feedForward}), F32, ${(model.fileBytes / 2 ** 20).toFixed(1)} MiB, made by \`src/backends/llama-cpp/__fixtures__/tiny-gguf.ts\`. Greedy decoding (temperature 0), ${setup.tokensPerRequest} tokens per request, a ${setup.promptTokens}-token prompt (the same chat-template rendering on both sides; its evaluated prefix is reused across rounds on both sides). ${setup.threads} llama.cpp thread, context ${setup.contextSize} per sequence, ${setup.sequences} sequences.`,
    '',
    '## Concurrency 1',
    '',
    '| Target | tokens/s (median) | range | ÷ direct | first token (ms) | rounds × tokens |',
    '|---|---|---|---|---|---|',
    row('node-llama-cpp direct (`sequence.evaluate` + detokenize)', results.concurrency1.direct, results.concurrency1.direct),
    row('Kestrel `POST /v1/responses` (stream, separate process)', results.concurrency1.kestrel, results.concurrency1.direct),
    '',
    '## Concurrency 4 (aggregate)',
    '',
    '| Target | tokens/s (median) | range | ÷ direct | first token (ms) | rounds × tokens |',
    '|---|---|---|---|---|---|',
    row('node-llama-cpp direct, 4 sequences of one context', results.concurrency4.direct, results.concurrency4.direct),
    row('Kestrel, 4 concurrent requests (`parallelSequences: 4`)', results.concurrency4.kestrel, results.concurrency4.direct),
    '',
    `Paired ratios (Kestrel ÷ direct, per round): ${[...results.concurrency1.pairedRatios].sort((a, b) => a - b).map((ratio) => ratio.toFixed(2)).join(', ')}.`,
    '',
    'Tokens per second are a round\'s generated tokens over its wall time, prompt evaluation and (for Kestrel) HTTP, SSE, the Responses event stream and the SQLite write included. At concurrency 1 each round runs both targets back to back, in alternating order, and the check is the median of the per-round ratios, which drift on the shared machine affects least.',
    '',
  ];
  return lines.join('\n');
}
