import type { z } from 'zod';
import { ApiError } from './errors.js';

/**
 * The OpenAI `param` path for a validation issue, e.g. `input[0].content[1].type`.
 *
 * @example paramPath(['input', 0, 'content']) // 'input[0].content'
 */
export function paramPath(path: readonly PropertyKey[]): string | null {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || null;
}

function describeIssue(issue: z.core.$ZodIssue, param: string | null): string {
  const where = param ? `'${param}'` : 'the request body';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `Missing required parameter: ${where}.`;
      return `Invalid type for ${where}: expected ${issue.expected}, but got ${describeValue(issue.input)}.`;
    case 'invalid_value':
      return `Invalid value for ${where}: ${issue.message}. Supported values are: ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        return `Invalid value for ${where}: unknown or missing '${String(issue.discriminator)}'.`;
      }
      return `Invalid value for ${where}: ${issue.message}.`;
    case 'unrecognized_keys':
      return `Unknown parameter: ${issue.keys.map((k) => `'${param ? `${param}.` : ''}${k}'`).join(', ')}.`;
    default:
      return `Invalid value for ${where}: ${issue.message}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The deepest issue is the most useful one: a union error hides the real field. */
function mostSpecificIssue(issues: readonly z.core.$ZodIssue[]): { issue: z.core.$ZodIssue; path: PropertyKey[] } {
  let best = { issue: issues[0], path: [...issues[0].path] };
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && !('discriminator' in issue && issue.discriminator)) {
      for (const branch of issue.errors) {
        if (branch.length === 0) continue;
        const nested = mostSpecificIssue(branch);
        const path = [...issue.path, ...nested.path];
        if (path.length > best.path.length) best = { issue: nested.issue, path };
      }
    }
  }
  return best;
}

/**
 * Parses `body` with `schema`, throwing a 400 {@link ApiError} naming the offending `param`.
 *
 * @example const params = parseBody(ResponseCreateParams, await readJson(req));
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'The request body must be a JSON object.', { code: 'invalid_json' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { issue, path } = mostSpecificIssue(result.error.issues);
  const param = paramPath(path);
  const code = issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : issue.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
  throw new ApiError(400, describeIssue(issue, param), { param, code });
}
