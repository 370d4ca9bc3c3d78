import type { ContextBenchResults } from './main.js';

const fmt = (value: number) => value.toLocaleString('en-US');

/** The markdown report of a context bench run. */
export function renderContextReport(results: ContextBenchResults): string {
  const lines: string[] = [];
  lines.push(`# Context bench (${results.startedAt.slice(0, 10)})`, '');
  lines.push(`Node ${results.machine.node}, ${results.machine.cpus} CPUs, ${results.durationSeconds} s. Produced by \`npm run bench -- --only context\` (bench/context/).`, '');
  lines.push('| check | value | target | |', '|---|---|---|---|');
  for (const check of results.checks) lines.push(`| ${check.description} | ${check.value} | ${check.target} | ${check.pass === null ? '' : check.pass ? 'pass' : '**FAIL**'} |`);
  lines.push('', '## Needle in a haystack (32k window, `truncation: "auto"`, BM25 recall)', '');
  lines.push(
    'A `previous_response_id` chain of ~2,000-token user turns (prose, code, JSON logs, shell, chat from a seeded generator) holds ten facts at ten depths. ' +
      'Each question goes through the HTTP server; a fact counts as found when it is in the prompt the scripted backend received. ' +
      'Summary calls get a fixed summary that quotes nothing, so facts arrive only through recall or the recent turns.',
    '',
  );
  lines.push('| history (o200k tokens) | turns | single needle | multi needle | assembly p50 / max | tokens sent p50 / max | summary calls |', '|---|---|---|---|---|---|---|');
  for (const size of results.needles) {
    lines.push(`| ${fmt(size.historyTokens)} | ${size.turns} | ${size.singleFraction} | ${size.multiFraction} | ${size.assemblyMs.p50} / ${size.assemblyMs.max} ms | ${fmt(size.tokensSent.p50)} / ${fmt(size.tokensSent.max)} | ${size.summaryCalls} |`);
  }
  lines.push('', 'Single needles by depth (found / assembly ms / tokens sent):', '');
  lines.push(`| history | ${results.needles[0]?.single.map((query) => query.depths[0]).join(' | ')} |`, `|---|${results.needles[0]?.single.map(() => '---').join('|')}|`);
  for (const size of results.needles) lines.push(`| ${fmt(size.targetTokens)} | ${size.single.map((query) => `${query.found ? '✓' : '✗'} ${query.assemblyMs} ms ${fmt(query.tokensSent)}`).join(' | ')} |`);
  lines.push('', 'Multi-needle questions (needles found / asked):', '');
  for (const size of results.needles) lines.push(`- ${fmt(size.targetTokens)}: ${size.multi.map((query) => `${query.found}/${query.names.length}`).join(', ')}`);
  const chain = results.chain;
  lines.push('', `## ${chain.turns}-turn chain (${fmt(chain.historyTokens)} tokens)`, '');
  lines.push('Built through the HTTP server, one `previous_response_id` turn at a time (~1,050-token user turns, `truncation: "auto"`, 32k window).', '');
  lines.push('| turn | history tokens | database bytes | item rows | item JSON bytes | ms per turn | heap MiB |', '|---|---|---|---|---|---|---|');
  for (const point of chain.storage) lines.push(`| ${point.turn} | ${fmt(point.historyTokens)} | ${fmt(point.databaseBytes)} | ${point.itemRows} | ${fmt(point.itemBytes)} | ${point.turnMs} | ${point.heapMiB} |`);
  lines.push('', `Storage per turn by quarter: ${chain.bytesPerTurn.map(fmt).join(', ')} bytes; ${chain.rowsPerTurn} item rows per turn. Summary calls over the build: ${chain.summaryCalls}.`, '');
  lines.push('Request assembly at the last turn (`prepare`: load the chain, convert, count, recall), 30 runs:', '');
  lines.push('| model | window | input | strategy | p50 | p95 | tokens sent |', '|---|---|---|---|---|---|---|');
  for (const entry of chain.assembly) lines.push(`| ${entry.model} | ${fmt(entry.window)} | ${entry.input === 'turn' ? 'a ~1,050-token turn' : 'a short question'} | ${entry.strategy} | ${entry.p50} ms | ${entry.p95} ms | ${fmt(entry.tokensSent)} |`);
  lines.push('', `Heap after gc: ${chain.heap.beforeMiB} MiB before and ${chain.heap.afterMiB} MiB after 50 more requests at the last turn.`, '');
  return `${lines.join('\n')}\n`;
}
