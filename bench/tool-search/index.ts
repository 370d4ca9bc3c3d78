/**
 * The tool-search benchmark: ranking quality on labelled requests (beside a plain BM25), search
 * latency on 1,188 and 10,000 tools, index build and cache costs, and prompt tokens against
 * loading every tool.
 */
import { createOpenAIChatBackend } from '../../src/backends/openai-chat/index.js';
import { DenseIndex, getToolSearchIndex, hybridSearch, toolSetHash, ToolSearchIndex, type Embedder } from '../../src/engine/tools/tool-search/index.js';
import { PlainBm25 } from './baseline.js';
import { catalogTools, scaledCatalog, SERVICES } from './catalog.js';
import type { BenchTool, Service } from './catalog-builder.js';
import { metrics, type Metrics, type Ranker } from './evaluate.js';
import { FRESH_QUERIES } from './fresh-queries.js';
import { distinctFrom } from './overlap.js';
import { QUERIES, type LabelledQuery } from './queries.js';
import { allLoadedTokens, toolSearchTokens } from './tokens.js';

export interface ToolSearchBenchOptions {
  /** Measured search rounds over all queries per catalogue size (after warm-up). */
  latencyRounds: number;
  /** Tools a search loads (the engine default). */
  maxResults: number;
  /** Coverage below which a search answers "no tool fits". */
  abstainBelow: number;
  /** An OpenAI-compatible embeddings endpoint, when one is available. */
  embeddings?: { baseURL: string; model: string; apiKey?: string };
  log(line: string): void;
}

export interface ToolSearchBenchResults {
  startedAt: string;
  durationSeconds: number;
  node: string;
  catalog: { tools: number; namespaces: number; queries: number; byKind: Record<string, number>; byLanguage: Record<string, number>; split: Record<string, number>; fresh: { queries: number; byKind: Record<string, number> } };
  quality: { split: string; plainBm25: Metrics; lexical: Metrics; hybrid: Metrics | null }[];
  byKind: { kind: string; lexical: Metrics; plainBm25: Metrics }[];
  byLanguage: { lang: string; lexical: Metrics }[];
  subsetQuality: Metrics;
  noFit: { threshold: number; abstainedOnNoFit: number; noFitQueries: number; falseAbstentions: number; answerableQueries: number };
  embeddings: string;
  latency: { tools: number; buildMs: number; hashMs: number; cachedLookupMs: number; p50Ms: number; p95Ms: number; p99Ms: number; searches: number }[];
  tokens: { scenario: string; tasks: number; allLoadedAvg: number; toolSearchAvg: number; ratio: number }[];
  checks: { description: string; value: string; target: string; pass: boolean | null }[];
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** The expected service(s) of a task plus the next services in catalogue order, `size` in all. */
function servicesFor(query: LabelledQuery, size: number): Service[] {
  const wanted = new Set(query.expect.map((path) => path.split('.')[0]));
  const chosen = SERVICES.filter((service) => wanted.has(service.namespace));
  const start = SERVICES.findIndex((service) => wanted.has(service.namespace));
  for (let i = 1; chosen.length < size && i <= SERVICES.length; i++) {
    const next = SERVICES[(Math.max(0, start) + i) % SERVICES.length];
    if (!chosen.includes(next)) chosen.push(next);
  }
  return chosen;
}

export async function runToolSearchBench(options: ToolSearchBenchOptions): Promise<ToolSearchBenchResults> {
  const started = Date.now();
  const tools = catalogTools();
  const byPath = new Map(tools.map((tool) => [tool.path, tool]));
  options.log(`catalogue: ${tools.length} tools in ${SERVICES.length} namespaces; ${QUERIES.length} labelled requests`);

  const index = new ToolSearchIndex(tools);
  const plain = new PlainBm25(tools);
  const lexical: Ranker = (query) => index.search(query.text, { limit: 10 }).hits.map((hit) => hit.path);
  const baseline: Ranker = (query) => plain.search(query.text, 10);

  let hybrid: Ranker | null = null;
  let embeddings = 'not available here (no embedding backend configured; set BENCH_EMBEDDINGS_URL and BENCH_EMBEDDINGS_MODEL to an OpenAI-compatible /v1)';
  if (options.embeddings) {
    try {
      const backend = createOpenAIChatBackend('bench-embeddings', { type: 'openai-chat', baseURL: options.embeddings.baseURL, apiKey: options.embeddings.apiKey });
      const embed: Embedder = (texts, signal) => backend.embed!(options.embeddings!.model, texts, signal);
      const dense = await DenseIndex.build(tools, embed);
      const ranked = new Map<number, string[]>();
      for (const query of [...QUERIES, ...FRESH_QUERIES]) ranked.set(query.id, (await hybridSearch(index, dense, embed, query.text, { limit: 10 })).map((hit) => hit.path));
      hybrid = (query) => ranked.get(query.id) ?? [];
      embeddings = `${options.embeddings.model} at ${options.embeddings.baseURL} (${dense.dimensions} dimensions), fused by reciprocal rank`;
    } catch (error) {
      embeddings = `configured but failed: ${(error as Error).message}`;
    }
  }
  options.log(`embeddings: ${embeddings}`);

  // `fresh` is the second set (fresh-queries.ts); `fresh-distinct` leaves out its requests that share
  // half their words or more with a first-set request; `all` is the first set whole.
  const distinct = distinctFrom(FRESH_QUERIES, QUERIES);
  const quality = (['dev', 'heldout', 'fresh', 'fresh-distinct', 'all'] as const).map((split) => {
    const queries = split === 'all' ? QUERIES : split === 'fresh' ? FRESH_QUERIES : split === 'fresh-distinct' ? distinct : QUERIES.filter((query) => query.split === split);
    return { split, plainBm25: metrics(queries, baseline), lexical: metrics(queries, lexical), hybrid: hybrid ? metrics(queries, hybrid) : null };
  });
  const kinds = ['paraphrase', 'synonym', 'typo', 'multilingual'];
  const byKind = kinds.map((kind) => ({ kind, lexical: metrics(QUERIES.filter((q) => q.kind === kind), lexical), plainBm25: metrics(QUERIES.filter((q) => q.kind === kind), baseline) }));
  const languages = [...new Set(QUERIES.filter((q) => q.expect.length).map((q) => q.lang))];
  const byLanguage = languages.map((lang) => ({ lang, lexical: metrics(QUERIES.filter((q) => q.lang === lang), lexical) }));

  // "No tool fits": the best hit covers too little of the request.
  const topCoverage = (query: LabelledQuery) => index.search(query.text, { limit: 1 }).hits[0]?.coverage ?? 0;
  const noFitQueries = QUERIES.filter((q) => q.kind === 'nofit');
  const answerable = QUERIES.filter((q) => q.expect.length);
  const noFit = {
    threshold: options.abstainBelow,
    abstainedOnNoFit: noFitQueries.filter((q) => topCoverage(q) < options.abstainBelow).length,
    noFitQueries: noFitQueries.length,
    falseAbstentions: answerable.filter((q) => topCoverage(q) < options.abstainBelow).length,
    answerableQueries: answerable.length,
  };

  // Ten services per task (the expected one and nine others), each subset indexed once (content-hash cache).
  const subsetRanker: Ranker = (query) => {
    const subset = servicesFor(query, 10).flatMap((service) => service.tools);
    return getToolSearchIndex(subset).search(query.text, { limit: 10 }).hits.map((hit) => hit.path);
  };
  const subsetQuality = metrics(answerable, subsetRanker);

  const latency = [];
  for (const size of [tools.length, 10_000]) {
    const catalog = size === tools.length ? tools : scaledCatalog(size);
    let t = performance.now();
    const sized = getToolSearchIndex(catalog);
    const buildMs = performance.now() - t;
    t = performance.now();
    toolSetHash(catalog);
    const hashMs = performance.now() - t;
    t = performance.now();
    const again = getToolSearchIndex(catalog);
    const cachedLookupMs = performance.now() - t;
    if (again !== sized) throw new Error('the index cache missed an identical tool set');
    // Warm-up: JIT and the garbage left by the build.
    for (let i = 0; i < 3; i++) for (const query of QUERIES) sized.search(query.text, { limit: options.maxResults });
    const times: number[] = [];
    for (let r = 0; r < options.latencyRounds; r++) {
      for (const query of QUERIES) {
        const s = performance.now();
        sized.search(query.text, { limit: options.maxResults });
        times.push(performance.now() - s);
      }
    }
    times.sort((a, b) => a - b);
    latency.push({ tools: catalog.length, buildMs: round(buildMs, 0), hashMs: round(hashMs, 1), cachedLookupMs: round(cachedLookupMs, 1), p50Ms: round(percentile(times, 0.5)), p95Ms: round(percentile(times, 0.95)), p99Ms: round(percentile(times, 0.99)), searches: times.length });
    options.log(`latency on ${catalog.length} tools: p50 ${round(percentile(times, 0.5))} ms, p95 ${round(percentile(times, 0.95))} ms; build ${round(buildMs, 0)} ms`);
  }

  const tokens = [];
  for (const scenario of ['full catalogue', '10 services per task'] as const) {
    let all = 0;
    let search = 0;
    for (const query of answerable) {
      const services = scenario === 'full catalogue' ? SERVICES : servicesFor(query, 10);
      const available = services.flatMap((service) => service.tools);
      const found = (scenario === 'full catalogue' ? index : getToolSearchIndex(available)).search(query.text, { limit: options.maxResults }).hits;
      const loaded = found.map((hit) => byPath.get(hit.path)!).filter(Boolean) as BenchTool[];
      all += allLoadedTokens(query.text, available);
      search += toolSearchTokens(query.text, services, loaded, options.maxResults).total;
    }
    tokens.push({ scenario, tasks: answerable.length, allLoadedAvg: Math.round(all / answerable.length), toolSearchAvg: Math.round(search / answerable.length), ratio: round(search / all) });
  }

  const heldout = quality.find((q) => q.split === 'heldout')!.lexical;
  const fresh = quality.find((q) => q.split === 'fresh')!.lexical;
  const dev = quality.find((q) => q.split === 'dev')!.lexical;
  const at10k = latency.at(-1)!;
  const checks = [
    { description: 'recall@5, lexical, held-out split', value: String(heldout.recallAt5), target: '≥ 0.9', pass: heldout.recallAt5 >= 0.9 },
    { description: 'recall@1, lexical, held-out split', value: String(heldout.recallAt1), target: '≥ 0.75', pass: heldout.recallAt1 >= 0.75 },
    { description: 'recall@5, lexical, second query set (never tuned on)', value: String(fresh.recallAt5), target: '≥ 0.9', pass: fresh.recallAt5 >= 0.9 },
    { description: 'recall@1, lexical, second query set (never tuned on)', value: String(fresh.recallAt1), target: '≥ 0.75', pass: fresh.recallAt1 >= 0.75 },
    { description: 'recall@5, lexical, dev split (tuned on)', value: String(dev.recallAt5), target: '≥ 0.9', pass: dev.recallAt5 >= 0.9 },
    { description: 'recall@1, lexical, dev split (tuned on)', value: String(dev.recallAt1), target: '≥ 0.75', pass: dev.recallAt1 >= 0.75 },
    { description: `search p50 on ${at10k.tools} tools`, value: `${at10k.p50Ms} ms`, target: '< 2 ms', pass: at10k.p50Ms < 2 },
    ...tokens.map((t) => ({ description: `prompt tokens vs all tools loaded (${t.scenario})`, value: `${Math.round(t.ratio * 100)} %`, target: '≤ 50 %', pass: t.ratio <= 0.5 })),
    { description: 'recall@5 with embeddings', value: hybrid ? String(quality.find((q) => q.split === 'all')!.hybrid!.recallAt5) : 'not available here', target: 'higher than lexical', pass: hybrid ? quality.find((q) => q.split === 'all')!.hybrid!.recallAt5 > quality.find((q) => q.split === 'all')!.lexical.recallAt5 : null },
  ];

  return {
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    node: process.version,
    catalog: { tools: tools.length, namespaces: SERVICES.length, queries: QUERIES.length, byKind: countBy(QUERIES, (q) => q.kind), byLanguage: countBy(QUERIES, (q) => q.lang), split: countBy(QUERIES, (q) => q.split), fresh: { queries: FRESH_QUERIES.length, byKind: countBy(FRESH_QUERIES, (q) => q.kind) } },
    quality,
    byKind,
    byLanguage,
    subsetQuality,
    noFit,
    embeddings,
    latency,
    tokens,
    checks,
  };
}
