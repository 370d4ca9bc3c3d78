import type { ToolSearchBenchResults } from './index.js';

const m = (metrics: { recallAt1: number; recallAt5: number; mrr: number; queries: number } | null) => (metrics ? `${metrics.recallAt1} | ${metrics.recallAt5} | ${metrics.mrr}` : 'n/a | n/a | n/a');

const SPLIT_NAMES: Record<string, string> = { dev: 'dev split', heldout: 'held-out split', fresh: 'second set', 'fresh-distinct': 'second set, not paraphrasing the first', all: 'first set, all' };

/** The results as Markdown (bench/results/tool-search-latest.md). */
export function renderToolSearchMarkdown(r: ToolSearchBenchResults): string {
  const lines = [
    '# Tool search benchmark',
    '',
    `Run ${r.startedAt} on Node ${r.node}, ${r.durationSeconds} s. Written by \`npm run bench -- --only tool-search\` (bench/tool-search).`,
    '',
    `Catalogue: ${r.catalog.tools} tools in ${r.catalog.namespaces} namespaces (generated from service specs in bench/tool-search/catalog.ts, with near-duplicates across services). ` +
      `${r.catalog.queries} hand-written requests: ${Object.entries(r.catalog.byKind).map(([k, v]) => `${v} ${k}`).join(', ')}; languages ${Object.entries(r.catalog.byLanguage).map(([k, v]) => `${k} ${v}`).join(', ')}. ` +
      `Every third request is held out (${r.catalog.split.heldout}); the ranking was tuned on the other ${r.catalog.split.dev} only. ` +
      `A second set of ${r.catalog.fresh.queries} requests (${Object.entries(r.catalog.fresh.byKind).map(([k, v]) => `${v} ${k}`).join(', ')}; bench/tool-search/fresh-queries.ts) was written later by another engineer, from the tool list alone, before the ranking changes it checks, and was never tuned on; the two writers phrase requests much alike (five came out word for word the same and were dropped), so it is also reported without the requests that share half their words or more with a first-set request.`,
    '',
    '## Checks',
    '',
    '| check | value | target | |',
    '|---|---|---|---|',
    ...r.checks.map((c) => `| ${c.description} | ${c.value} | ${c.target} | ${c.pass === null ? '–' : c.pass ? 'pass' : '**fail**'} |`),
    '',
    '## Ranking quality (recall@1, recall@5, MRR over the top 10)',
    '',
    '| split | plain BM25 r@1 | r@5 | MRR | Kestrel lexical r@1 | r@5 | MRR | Kestrel + embeddings r@1 | r@5 | MRR |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.quality.map((q) => `| ${SPLIT_NAMES[q.split] ?? q.split} (${q.lexical.queries}) | ${m(q.plainBm25)} | ${m(q.lexical)} | ${m(q.hybrid)} |`),
    '',
    `Embeddings: ${r.embeddings}.`,
    '',
    '| kind (all splits) | plain BM25 r@1 | r@5 | MRR | Kestrel lexical r@1 | r@5 | MRR |',
    '|---|---|---|---|---|---|---|',
    ...r.byKind.map((k) => `| ${k.kind} (${k.lexical.queries}) | ${m(k.plainBm25)} | ${m(k.lexical)} |`),
    '',
    '| language (all splits) | Kestrel lexical r@1 | r@5 | MRR |',
    '|---|---|---|---|',
    ...r.byLanguage.map((l) => `| ${l.lang} (${l.lexical.queries}) | ${m(l.lexical)} |`),
    '',
    `With 10 services per task (the right one and nine others) instead of all ${r.catalog.namespaces}: recall@1 ${r.subsetQuality.recallAt1}, recall@5 ${r.subsetQuality.recallAt5}, MRR ${r.subsetQuality.mrr}.`,
    '',
    `Requests no tool fits: with "no tool fits" answered when the best tool covers less than ${r.noFit.threshold} of the request, ${r.noFit.abstainedOnNoFit} of ${r.noFit.noFitQueries} are refused, ` +
      `and ${r.noFit.falseAbstentions} of ${r.noFit.answerableQueries} answerable requests would be refused too. (Informational: the engine loads the best matches anyway and lets the model decide.)`,
    '',
    '## Latency (one process, warm; the machine is shared)',
    '',
    '| tools | index build | content hash | cached lookup | search p50 | p95 | p99 | searches |',
    '|---|---|---|---|---|---|---|---|',
    ...r.latency.map((l) => `| ${l.tools} | ${l.buildMs} ms | ${l.hashMs} ms | ${l.cachedLookupMs} ms | ${l.p50Ms} ms | ${l.p95Ms} ms | ${l.p99Ms} ms | ${l.searches} |`),
    '',
    'The 10,000-tool catalogue repeats the base one for twelve tenants (prefixed namespaces). An index is built once per distinct tool set; later requests with the same tools pay only the content hash.',
    '',
    '## Prompt tokens per task (o200k)',
    '',
    '| scenario | tasks | all tools loaded | tool search (2 model calls) | ratio |',
    '|---|---|---|---|---|',
    ...r.tokens.map((t) => `| ${t.scenario} | ${t.tasks} | ${t.allLoadedAvg} | ${t.toolSearchAvg} | ${Math.round(t.ratio * 100)} % |`),
    '',
    'Tool search counts both calls: the first with only `tool_search` (its description lists the namespaces), the second with the search call, its output and the loaded tools. All-tools-loaded is one call with every definition.',
    '',
  ];
  return lines.join('\n');
}
