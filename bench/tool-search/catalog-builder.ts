/**
 * Builds the benchmark's tool catalogue from compact service specs: entities with CRUD-style
 * actions (the way most MCP servers and OpenAPI-generated toolsets look), plus hand-written tools
 * proper to each service. Descriptions vary their wording by a stable hash, as real catalogues do.
 */
import type { SearchableTool } from '../../src/engine/tools/tool-search/index.js';

export interface BenchTool extends SearchableTool {
  namespace: string;
  /** The function definition as a client would send it (for token counts). */
  definition: { type: 'function'; name: string; description: string; parameters: Record<string, unknown>; defer_loading: true };
}

export interface Service {
  namespace: string;
  title: string;
  description: string;
  tools: BenchTool[];
}

type Param = [name: string, type: string, description: string];

export interface EntitySpec {
  name: string;
  label?: string;
  plural?: string;
  fields?: string[];
  parent?: string;
  actions: string;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function pick<T>(key: string, options: T[]): T {
  return options[hash(key) % options.length];
}

/** `name:type:description` → a parameter. */
function parseField(spec: string): Param {
  const [name, type, ...rest] = spec.split(':');
  return [name, type || 'string', rest.join(':') || name.replace(/_/g, ' ')];
}

function schema(params: Param[], required: string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, type, description] of params) {
    if (type.startsWith('enum=')) properties[name] = { type: 'string', enum: type.slice(5).split('|'), description };
    else if (type === 'string[]') properties[name] = { type: 'array', items: { type: 'string' }, description };
    else properties[name] = { type, description };
  }
  return { type: 'object', properties, required: required.filter((name) => name in properties), additionalProperties: false };
}

interface Ent {
  name: string;
  label: string;
  plural: string;
  pluralLabel: string;
  fields: Param[];
  parent?: { name: string; label: string };
}

type ActionBuilder = (e: Ent, title: string, key: string) => { name: string; description: string; params: Param[]; required: string[] };

const idParam = (e: Ent): Param => [`${e.name}_id`, 'string', `ID of the ${e.label}`];
const parentParams = (e: Ent): Param[] => (e.parent ? [[`${e.parent.name}_id`, 'string', `ID of the ${e.parent.label} it belongs to`]] : []);
const parentPhrase = (e: Ent) => (e.parent ? ` in a ${e.parent.label}` : '');
const a = (name: string, description: string, params: Param[], required: string[] = []) => ({ name, description, params, required });

const ACTIONS: Record<string, ActionBuilder> = {
  create: (e, t, k) =>
    a(
      `create_${e.name}`,
      pick(k, [`Create a new ${e.label}${parentPhrase(e)} in ${t}.`, `Add a ${e.label} to ${t}${parentPhrase(e)}.`, `Creates a ${e.label} with the given fields and returns it.`]),
      [...parentParams(e), ...e.fields],
      [...parentParams(e).map((p) => p[0]), e.fields[0]?.[0] ?? ''],
    ),
  get: (e, t, k) => a(`get_${e.name}`, pick(k, [`Get one ${e.label} by its ID, with all of its fields.`, `Retrieve a ${e.label} from ${t} by ID.`, `Fetch the details of a single ${e.label}.`]), [idParam(e)], [idParam(e)[0]]),
  list: (e, t, k) =>
    a(
      `list_${e.plural}`,
      pick(k, [`List ${e.pluralLabel}${parentPhrase(e)}, with optional filters and pagination.`, `Return a page of ${e.pluralLabel} from ${t}, newest first.`, `Lists the ${e.pluralLabel}${parentPhrase(e)} that match the given filters.`]),
      [...parentParams(e), ['limit', 'integer', 'Maximum number of results'], ['cursor', 'string', 'Pagination cursor from the previous page']],
    ),
  update: (e, t, k) =>
    a(`update_${e.name}`, pick(k, [`Update an existing ${e.label}: change any of its fields.`, `Modify the fields of a ${e.label} in ${t}.`, `Edit a ${e.label}; only the given fields change.`]), [idParam(e), ...e.fields], [idParam(e)[0]]),
  delete: (e, t, k) => a(`delete_${e.name}`, pick(k, [`Permanently delete a ${e.label}.`, `Remove a ${e.label} from ${t}. This cannot be undone.`, `Deletes the ${e.label} with the given ID.`]), [idParam(e)], [idParam(e)[0]]),
  search: (e, t, k) =>
    a(`search_${e.plural}`, pick(k, [`Search ${e.pluralLabel} by keyword and filters.`, `Full-text search over ${e.pluralLabel} in ${t}.`, `Find ${e.pluralLabel} matching a query string.`]), [['query', 'string', 'Search text'], ['limit', 'integer', 'Maximum number of results']], ['query']),
  archive: (e, t, k) => a(`archive_${e.name}`, pick(k, [`Archive a ${e.label}; it is hidden from lists but kept.`, `Move a ${e.label} to the archive.`]), [idParam(e)], [idParam(e)[0]]),
  close: (e, t, k) => a(`close_${e.name}`, pick(k, [`Close a ${e.label}, marking it resolved.`, `Mark a ${e.label} as closed.`]), [idParam(e), ['reason', 'string', 'Why it is closed']], [idParam(e)[0]]),
  reopen: (e) => a(`reopen_${e.name}`, `Reopen a ${e.label} that was closed.`, [idParam(e)], [idParam(e)[0]]),
  assign: (e, t, k) => a(`assign_${e.name}`, pick(k, [`Assign a ${e.label} to a user.`, `Set the assignee of a ${e.label}.`]), [idParam(e), ['assignee', 'string', 'User ID or email of the assignee']], [idParam(e)[0], 'assignee']),
  comment: (e, t, k) => a(`add_${e.name}_comment`, pick(k, [`Add a comment to a ${e.label}.`, `Post a comment on a ${e.label}.`]), [idParam(e), ['body', 'string', 'Comment text (Markdown)']], [idParam(e)[0], 'body']),
  comments: (e) => a(`list_${e.name}_comments`, `List the comments on a ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  share: (e) => a(`share_${e.name}`, `Share a ${e.label} with people and set their access level.`, [idParam(e), ['emails', 'string[]', 'Email addresses to share with'], ['role', 'enum=viewer|commenter|editor', 'Access level']], [idParam(e)[0], 'emails']),
  move: (e) => a(`move_${e.name}`, `Move a ${e.label} to another folder or location.`, [idParam(e), ['destination_id', 'string', 'ID of the destination']], [idParam(e)[0], 'destination_id']),
  copy: (e) => a(`copy_${e.name}`, `Make a copy of a ${e.label}.`, [idParam(e), ['name', 'string', 'Name of the copy']], [idParam(e)[0]]),
  rename: (e) => a(`rename_${e.name}`, `Rename a ${e.label}.`, [idParam(e), ['name', 'string', 'New name']], [idParam(e)[0], 'name']),
  upload: (e, t) => a(`upload_${e.name}`, `Upload a ${e.label} to ${t}.`, [['path', 'string', 'Destination path or folder ID'], ['content_base64', 'string', 'Content, base64-encoded'], ['name', 'string', 'Name']], ['content_base64']),
  download: (e) => a(`download_${e.name}`, `Download the content of a ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  send: (e, t, k) => a(`send_${e.name}`, pick(k, [`Send a ${e.label}.`, `Send a ${e.label} to its recipients.`]), [idParam(e)], [idParam(e)[0]]),
  cancel: (e, t, k) => a(`cancel_${e.name}`, pick(k, [`Cancel a ${e.label}.`, `Cancel a pending ${e.label}.`]), [idParam(e), ['reason', 'string', 'Reason for cancelling']], [idParam(e)[0]]),
  approve: (e) => a(`approve_${e.name}`, `Approve a ${e.label}.`, [idParam(e), ['note', 'string', 'Optional note']], [idParam(e)[0]]),
  reject: (e) => a(`reject_${e.name}`, `Reject a ${e.label}.`, [idParam(e), ['reason', 'string', 'Reason']], [idParam(e)[0]]),
  start: (e) => a(`start_${e.name}`, `Start a ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  stop: (e) => a(`stop_${e.name}`, `Stop a running ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  restart: (e) => a(`restart_${e.name}`, `Restart a ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  merge: (e) => a(`merge_${e.name}`, `Merge a ${e.label} into its target branch.`, [idParam(e), ['method', 'enum=merge|squash|rebase', 'Merge method']], [idParam(e)[0]]),
  publish: (e) => a(`publish_${e.name}`, `Publish a ${e.label} so that it becomes public.`, [idParam(e)], [idParam(e)[0]]),
  restore: (e) => a(`restore_${e.name}`, `Restore a deleted or archived ${e.label}.`, [idParam(e)], [idParam(e)[0]]),
  export: (e) => a(`export_${e.name}`, `Export a ${e.label} to a file (PDF, CSV…).`, [idParam(e), ['format', 'string', 'Output format']], [idParam(e)[0]]),
};

/** A tool written by hand: `params` are `name:type:description` strings; the first is required. */
export interface ToolSpec {
  name: string;
  description: string;
  params?: string[];
}

/**
 * One service (namespace) of the catalogue.
 *
 * @example service('github', 'GitHub', 'Code hosting…', [{ name: 'issue', actions: 'create get', fields: ['title:string:Title'] }], [])
 */
export function service(namespace: string, title: string, description: string, entities: EntitySpec[], extras: ToolSpec[] = []): Service {
  const tools: BenchTool[] = [];
  const labels = new Map(entities.map((entity) => [entity.name, entity.label ?? entity.name.replace(/_/g, ' ')]));
  const add = (name: string, toolDescription: string, parameters: Record<string, unknown>) => {
    if (tools.some((tool) => tool.name === name)) throw new Error(`duplicate tool ${namespace}.${name}`);
    tools.push({
      path: `${namespace}.${name}`,
      name,
      namespace,
      namespaceDescription: description,
      description: toolDescription,
      parameters,
      definition: { type: 'function', name, description: toolDescription, parameters, defer_loading: true },
    });
  };
  for (const spec of entities) {
    const label = labels.get(spec.name)!;
    const plural = spec.plural ?? `${spec.name}s`;
    const e: Ent = {
      name: spec.name,
      label,
      plural,
      pluralLabel: plural.replace(/_/g, ' '),
      fields: (spec.fields ?? []).map(parseField),
      parent: spec.parent ? { name: spec.parent, label: labels.get(spec.parent) ?? spec.parent.replace(/_/g, ' ') } : undefined,
    };
    for (const action of spec.actions.split(/\s+/).filter(Boolean)) {
      const build = ACTIONS[action];
      if (!build) throw new Error(`unknown action ${action}`);
      const built = build(e, title, `${namespace}.${spec.name}.${action}`);
      add(built.name, built.description, schema(built.params, built.required));
    }
  }
  for (const extra of extras) {
    const params = (extra.params ?? []).map(parseField);
    add(extra.name, extra.description, schema(params, params.length ? [params[0][0]] : []));
  }
  return { namespace, title, description, tools };
}
