import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGrammar, formatGrammarFeedback, type GrammarCheck } from './index.js';

// The reference grammar (shared/reference/responses-api.md §11.2) and the one inside Codex 0.169 (same rules, with blank lines).
const REFERENCE = readFileSync(new URL('./__fixtures__/apply-patch.reference.lark', import.meta.url), 'utf8');
const CODEX = readFileSync(new URL('./__fixtures__/apply-patch.codex.lark', import.meta.url), 'utf8');
// Codex swaps the start rule like this when it runs against remote environments.
const CODEX_ENVIRONMENT = CODEX.replace('start: begin_patch hunk+ end_patch', 'start: begin_patch environment_id? hunk+ end_patch') + 'environment_id: "*** Environment ID: " filename LF';

const failure = (check: GrammarCheck) => {
  if (check.ok) throw new Error('expected the check to fail');
  return check;
};

const VALID: [string, string][] = [
  ['an added file', '*** Begin Patch\n*** Add File: hello.txt\n+Hello, world!\n*** End Patch\n'],
  ['no final line feed', '*** Begin Patch\n*** Add File: hello.txt\n+Hello\n*** End Patch'],
  ['an added file with empty lines', '*** Begin Patch\n*** Add File: a/b c.md\n+# Title\n+\n+text\n+\n*** End Patch\n'],
  ['a deleted file', '*** Begin Patch\n*** Delete File: old/file.py\n*** End Patch\n'],
  ['an update with context', '*** Begin Patch\n*** Update File: src/app.ts\n@@ function main() {\n-  return 1;\n+  return 2;\n }\n*** End Patch\n'],
  ['an update with a bare @@', '*** Begin Patch\n*** Update File: a.py\n@@\n-x = 1\n+x = 2\n*** End Patch\n'],
  ['an update without @@', '*** Begin Patch\n*** Update File: a.py\n def f():\n-    pass\n+    return 1\n*** End Patch\n'],
  ['several @@ sections', '*** Begin Patch\n*** Update File: a.py\n@@ class A:\n@@     def f(self):\n-        pass\n+        return 1\n@@ class B:\n-x\n+y\n*** End Patch\n'],
  ['a move', '*** Begin Patch\n*** Update File: src/old.ts\n*** Move to: src/new.ts\n@@\n-a\n+b\n*** End Patch\n'],
  ['a move alone', '*** Begin Patch\n*** Update File: src/old.ts\n*** Move to: src/new.ts\n*** End Patch\n'],
  ['an update with no change', '*** Begin Patch\n*** Update File: a\n*** End Patch\n'],
  ['an end of file marker', '*** Begin Patch\n*** Update File: a.txt\n@@\n last\n+appended\n*** End of File\n*** End Patch\n'],
  ['empty context lines and an empty added line', '*** Begin Patch\n*** Update File: a.txt\n \n-\n+\n*** End Patch\n'],
  ['many hunks', '*** Begin Patch\n*** Add File: x\n+1\n*** Delete File: y\n*** Update File: z\n@@ z\n-1\n+2\n*** End of File\n*** Add File: w\n+w\n*** End Patch\n'],
  ['lines that look like markers inside content', '*** Begin Patch\n*** Add File: notes.txt\n+*** End Patch\n+@@ not a context\n*** Update File: b\n-*** Add File: q\n+*** Delete File: q\n*** End Patch\n'],
  ['a carriage return kept inside a line', '*** Begin Patch\n*** Add File: dos.txt\n+line one\r\n*** End Patch\n'],
  ['Unicode content and names', '*** Begin Patch\n*** Add File: docs/café ☕.md\n+naïve — 日本語 🎉\n*** End Patch\n'],
  ['tabs and trailing spaces', '*** Begin Patch\n*** Update File: Makefile\n@@ all:\n-\techo hi   \n+\techo bye\t\n*** End Patch\n'],
];

const INVALID: [string, string, { line: number; column: number; expected: string[] }][] = [
  ['the end marker is missing', '*** Begin Patch\n*** Add File: a.txt\n+hello\n', { line: 4, column: 1, expected: ['"*** End Patch"', '"+"'] }],
  ['an add hunk line without +', '*** Begin Patch\n*** Add File: a.txt\n+hello\nworld\n*** End Patch\n', { line: 4, column: 1, expected: ['"+"', '"*** End Patch"', '"*** Update File: "'] }],
  ['no hunk at all', '*** Begin Patch\n*** End Patch\n', { line: 2, column: 1, expected: ['"*** Add File: "', '"*** Delete File: "', '"*** Update File: "'] }],
  ['an empty input', '', { line: 1, column: 1, expected: ['"*** Begin Patch"'] }],
  ['the begin marker is missing', '*** Add File: a\n+x\n*** End Patch\n', { line: 1, column: 1, expected: ['"*** Begin Patch"'] }],
  ['an add hunk with no lines', '*** Begin Patch\n*** Add File: a\n*** End Patch\n', { line: 3, column: 1, expected: ['"+"'] }],
  ['an update line without a prefix', '*** Begin Patch\n*** Update File: a\n@@\n-x\ny\n*** End Patch\n', { line: 5, column: 1, expected: ['" "', '"-"', '"+"', '"@@"'] }],
  ['an empty file name', '*** Begin Patch\n*** Delete File: \n*** End Patch\n', { line: 2, column: 18, expected: ['/(.+)/'] }],
  ['@@ followed by a space and nothing', '*** Begin Patch\n*** Update File: a\n@@ \n-x\n*** End Patch\n', { line: 3, column: 4, expected: ['/(.+)/'] }],
  ['text after the end marker', '*** Begin Patch\n*** Delete File: a\n*** End Patch\nmore\n', { line: 4, column: 1, expected: ['the end of the input'] }],
  ['two end markers', '*** Begin Patch\n*** Delete File: a\n*** End Patch\n*** End Patch\n', { line: 4, column: 1, expected: ['the end of the input'] }],
  ['a misspelt hunk header', '*** Begin Patch\n*** Create File: a\n+x\n*** End Patch\n', { line: 2, column: 1, expected: ['"*** Add File: "'] }],
  ['lines after the end of file marker', '*** Begin Patch\n*** Update File: a\n-x\n*** End of File\n+y\n*** End Patch\n', { line: 5, column: 1, expected: ['"*** End Patch"', '"*** Update File: "'] }],
  ['a move without a target', '*** Begin Patch\n*** Update File: a\n*** Move to: \n*** End Patch\n', { line: 3, column: 14, expected: ['/(.+)/'] }],
  ['JSON around the patch', '{"input": "*** Begin Patch\\n*** Delete File: a\\n*** End Patch\\n"}', { line: 1, column: 1, expected: ['"*** Begin Patch"'] }],
  ['a code fence around the patch', '```\n*** Begin Patch\n*** Delete File: a\n*** End Patch\n```\n', { line: 1, column: 1, expected: ['"*** Begin Patch"'] }],
  ['CRLF line ends', '*** Begin Patch\r\n*** Delete File: a\r\n*** End Patch\r\n', { line: 1, column: 16, expected: ['LF (a line feed "\\n")'] }],
  ['an end marker with trailing text', '*** Begin Patch\n*** Delete File: a\n*** End Patch now\n', { line: 3, column: 14, expected: ['the end of the input'] }],
];

describe.each([
  ['the reference grammar', REFERENCE],
  ["Codex's grammar", CODEX],
])('apply_patch with %s', (_name, definition) => {
  const grammar = compileGrammar({ syntax: 'lark', definition });

  it.each(VALID)('accepts %s', (_case, input) => {
    expect(grammar.check(input)).toEqual({ ok: true });
  });

  it.each(INVALID)('rejects a patch where %s', (_case, input, where) => {
    const result = failure(grammar.check(input));
    expect({ line: result.line, column: result.column }).toEqual({ line: where.line, column: where.column });
    for (const expected of where.expected) expect(result.expected).toContain(expected);
    expect(result.message).toContain(`Line ${where.line}, column ${where.column}`);
  });
});

describe('apply_patch details', () => {
  const grammar = compileGrammar({ syntax: 'lark', definition: REFERENCE });

  it('names what was found and what was expected in the message', () => {
    const result = failure(grammar.check('*** Begin Patch\n*** Add File: a.txt\n+hello\nworld\n*** End Patch\n'));
    expect(result.message).toBe('Line 4, column 1: expected one of "+", "*** End Patch", "*** Add File: ", "*** Delete File: ", "*** Update File: " but found "world"');
    expect(result.offset).toBe('*** Begin Patch\n*** Add File: a.txt\n+hello\n'.length);
  });

  it('says when the input ended too early', () => {
    const result = failure(grammar.check('*** Begin Patch\n*** Update File: a\n@@\n-x'));
    expect(result.message).toBe('Line 4, column 3: expected LF (a line feed "\\n") but the input ended');
  });

  it('gives the model a retry message with the offending line', () => {
    const input = '*** Begin Patch\n*** Add File: a.txt\n+hello\nworld\n*** End Patch\n';
    const text = formatGrammarFeedback(grammar.check(input), input);
    expect(text).toContain('Line 4, column 1');
    expect(text).toContain('3 | +hello\n4 | world\n  | ^');
    expect(text).toContain('"*** End Patch"');
  });

  it('accepts the environment header when Codex adds it to the grammar', () => {
    const withEnvironment = compileGrammar({ syntax: 'lark', definition: CODEX_ENVIRONMENT });
    expect(withEnvironment.check('*** Begin Patch\n*** Environment ID: env_1\n*** Delete File: a\n*** End Patch\n')).toEqual({ ok: true });
    expect(withEnvironment.check('*** Begin Patch\n*** Delete File: a\n*** End Patch\n')).toEqual({ ok: true });
    expect(grammar.check('*** Begin Patch\n*** Environment ID: env_1\n*** Delete File: a\n*** End Patch\n').ok).toBe(false);
  });

  it('checks a 2,000-line patch', () => {
    let patch = '*** Begin Patch\n';
    for (let file = 0; file < 20; file++) {
      patch += `*** Update File: src/module${file}.ts\n@@ export class Module${file} {\n`;
      for (let line = 0; line < 98; line++) patch += `${'-+ '[line % 3]}  const value${line} = compute(${line}); // a comment\n`;
    }
    patch += '*** End Patch\n';
    expect(patch.split('\n').length).toBeGreaterThan(2000);
    expect(grammar.check(patch)).toEqual({ ok: true });
    const broken = patch.replace('\n+  const value1 =', '\n!  const value1 =');
    const result = failure(grammar.check(broken));
    expect(result.line).toBe(5);
    expect(failure(grammar.check(patch.slice(0, -'*** End Patch\n'.length))).line).toBe(patch.split('\n').length - 1);
  });
});
