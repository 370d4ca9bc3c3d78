/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the busy time went, by function and by package. */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** `file:line`, shortened to the part after the project folder or `node_modules/` */
  where: string;
  selfMs: number;
  /** share of the busy (non-idle) time, percent */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  topSelf: ProfileEntry[];
  byPackage: Array<{ package: string; selfMs: number; percent: number }>;
}

function shortUrl(url: string): string {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const source = path.search(/\/(src|dist|bench)\//);
  return source >= 0 ? path.slice(source + 1) : path;
}

/** The package a frame belongs to: an npm package, a Kestrel folder (`src/server`), `node:internal` or a V8 pseudo-frame. */
function packageOf(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node (built-in)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const match = url.match(/\/(src|dist)\/([^/]+)/);
  return match ? `kestrel ${match[1]}/${match[2]}` : shortUrl(url);
}

/**
 * Self time per function (top `limit`) and per package, as shares of the time the process was not idle.
 *
 * @example const summary = summarizeProfile(readFileSync('CPU.cpuprofile', 'utf8'), 15);
 */
export function summarizeProfile(json: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(json) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    selfByNode.set(profile.samples[i], (selfByNode.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const byFunction = new Map<string, { name: string; where: string; selfMs: number }>();
  const byPackage = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  for (const [id, ms] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, where, selfMs: 0 };
    entry.selfMs += ms;
    byFunction.set(key, entry);
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const percent = (ms: number) => (busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0);
  const rounded = (ms: number) => Math.round(ms * 10) / 10;
  return {
    busyMs: rounded(busyMs),
    idleMs: rounded(idleMs),
    topSelf: [...byFunction.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, limit)
      .map((entry) => ({ ...entry, selfMs: rounded(entry.selfMs), percent: percent(entry.selfMs) })),
    byPackage: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ package: name, selfMs: rounded(ms), percent: percent(ms) })),
  };
}
