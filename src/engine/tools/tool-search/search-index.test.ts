import { describe, expect, it } from 'vitest';
import { DenseIndex, getToolSearchIndex, hybridSearch, resolvePaths, ToolSearchIndex, toolSetHash, type SearchableTool } from './index.js';
import { editDistance, TypoCorrector } from './fuzzy.js';
import { foldText } from './fold.js';
import { porterStem } from './porter-stemmer.js';
import { fuseRankings } from './rrf.js';
import { tokenize } from './tokenize.js';

const ns = (namespace: string, description: string, tools: [string, string, Record<string, unknown>?][]): SearchableTool[] =>
  tools.map(([name, toolDescription, properties]) => ({
    path: `${namespace}.${name}`,
    name,
    namespace,
    namespaceDescription: description,
    description: toolDescription,
    parameters: properties ? { type: 'object', properties } : undefined,
  }));

const TOOLS: SearchableTool[] = [
  ...ns('github', 'GitHub repositories, issues and pull requests.', [
    ['create_issue', 'Create a new issue in a repository.', { title: { type: 'string', description: 'Issue title' } }],
    ['delete_branch', 'Delete a branch of a repository.'],
    ['mergePullRequest', 'Merge a pull request into its base branch.'],
  ]),
  ...ns('gitlab', 'GitLab projects, issues and merge requests.', [
    ['create_issue', 'Create a new issue in a project.'],
    ['delete_branch', 'Delete a branch of a project.'],
  ]),
  ...ns('billing', 'Invoices and payments.', [
    ['create_invoice', 'Create an invoice for a customer.', { customer_id: { type: 'string', description: 'Customer to bill' } }],
    ['refund_payment', 'Refund a captured payment.'],
  ]),
  ...ns('home', 'Smart home devices.', [
    ['turn_off_light', 'Turn off a light.'],
    ['set_thermostat', 'Set the target temperature of the heating.'],
  ]),
  { path: 'get_weather', name: 'get_weather', description: 'Current weather and forecast for a city.' },
];

const index = new ToolSearchIndex(TOOLS);
const top = (query: string, options?: Parameters<ToolSearchIndex['search']>[1]) => index.search(query, options).hits[0]?.path;

describe('ToolSearchIndex', () => {
  it('matches names split on snake and camel case, descriptions and parameters', () => {
    expect(top('merge the pull request on GitHub')).toBe('github.mergePullRequest');
    expect(top('bill a customer')).toBe('billing.create_invoice');
  });

  it('reads synonyms and paraphrases through the thesaurus', () => {
    expect(top('get rid of the old branch on GitLab')).toBe('gitlab.delete_branch');
    expect(top('give the client their money back')).toBe('billing.refund_payment');
    expect(top('open a ticket in github')).toBe('github.create_issue');
  });

  it('reads French, German, Spanish, Japanese and Chinese requests', () => {
    expect(top('Supprime la branche sur GitHub')).toBe('github.delete_branch');
    expect(top('Erstelle eine Rechnung')).toBe('billing.create_invoice');
    expect(top('Apaga la luz')).toBe('home.turn_off_light');
    expect(top('GitLabでイシューを作成して')).toBe('gitlab.create_issue');
    expect(top('明天的天气')).toBe('get_weather');
  });

  it('corrects typos against the words of the index', () => {
    expect(top('creat an isue on githib')).toBe('github.create_issue');
    expect(top('refnud the paymnet')).toBe('billing.refund_payment');
  });

  it('breaks ties by the namespaces already in use', () => {
    const plain = index.search('create an issue', { limit: 2 }).hits.map((hit) => hit.path);
    expect(new Set(plain)).toEqual(new Set(['github.create_issue', 'gitlab.create_issue']));
    expect(top('create an issue', { contextNamespaces: ['gitlab'] })).toBe('gitlab.create_issue');
    expect(top('create an issue', { contextNamespaces: ['github'] })).toBe('github.create_issue');
  });

  it('leaves out excluded paths and reports low coverage when nothing fits', () => {
    expect(top('delete a branch on github', { exclude: new Set(['github.delete_branch']) })).not.toBe('github.delete_branch');
    const fit = index.search('turn off the light').hits[0];
    const unfit = index.search('order a pizza with extra cheese').hits[0];
    expect(fit.coverage).toBe(1);
    expect(unfit?.coverage ?? 0).toBeLessThan(0.5);
  });
});

describe('index cache and paths', () => {
  it('builds one index per distinct tool set', () => {
    const copy = TOOLS.map((tool) => ({ ...tool }));
    expect(getToolSearchIndex(copy)).toBe(getToolSearchIndex(TOOLS));
    const changed = [...copy.slice(0, -1), { ...copy.at(-1)!, description: 'Weather only.' }];
    expect(toolSetHash(changed)).not.toBe(toolSetHash(TOOLS));
    expect(getToolSearchIndex(changed)).not.toBe(getToolSearchIndex(TOOLS));
  });

  it('resolves namespaces, namespace.tool and top-level names, and reports the rest', () => {
    expect(resolvePaths(index, ['billing', 'home/turn_off_light', 'get_weather', 'github.delete_branch', 'nope'])).toEqual({
      paths: ['billing.create_invoice', 'billing.refund_payment', 'home.turn_off_light', 'get_weather', 'github.delete_branch'],
      missing: ['nope'],
    });
  });
});

describe('hybrid search', () => {
  it('fuses a dense ranking by reciprocal rank, so a tool no word matches can still be found', async () => {
    // A toy embedder: "warm" and "heating" share a dimension, no word does.
    const embed = async (texts: string[]) => texts.map((text) => [/warm|heating|temperature/i.test(text) ? 1 : 0, /light/i.test(text) ? 1 : 0, 0.05]);
    const dense = await DenseIndex.build(TOOLS, embed);
    expect(index.search('make it warm', { limit: 5 }).hits.map((hit) => hit.path)).not.toContain('home.set_thermostat');
    const hits = await hybridSearch(index, dense, embed, 'make it warm', { limit: 5 });
    expect(hits.map((hit) => hit.path)).toContain('home.set_thermostat');
    expect(await hybridSearch(index, null, null, 'turn off the light', { limit: 1 })).toEqual(index.search('turn off the light', { limit: 1 }).hits);
  });

  it('fuses rankings', () => {
    expect(fuseRankings([['a', 'b'], ['b', 'c']])).toEqual(['b', 'a', 'c']);
  });
});

describe('text analysis', () => {
  it('folds diacritics and width, keeping Japanese voicing marks', () => {
    expect(foldText('Créer LÖSCHEN Straße ＡＢＣ')).toBe('creer loschen strasse abc');
    expect(foldText('データ')).toBe('データ');
  });

  it('splits identifiers and keeps brand words whole', () => {
    expect(tokenize('createPullRequest in GitHub').words).toEqual(['createpullrequest', 'in', 'github']);
    expect(tokenize('createPullRequest in GitHub').parts).toEqual([['create', 'pull', 'request'], null, ['git', 'hub']]);
    expect(tokenize('get_customer-profile').words).toEqual(['get', 'customer', 'profile']);
  });

  it('stems English with Porter', () => {
    expect(['creating', 'created', 'creates'].map(porterStem)).toEqual(['creat', 'creat', 'creat']);
    expect(porterStem('repositories')).toBe(porterStem('repository'));
  });

  it('measures typos: swaps and drops cost 1, a changed letter more', () => {
    expect(editDistance('recieve', 'receive', 2)).toBe(1);
    expect(editDistance('delte', 'delete', 2)).toBe(1);
    expect(editDistance('main', 'mail', 2)).toBe(1.5);
    expect(new TypoCorrector(['mail', 'invoice']).correct('main')).toEqual([]);
    expect(new TypoCorrector(['mail', 'invoice']).correct('invioce')).toEqual([{ word: 'invoice', distance: 1 }]);
  });
});
