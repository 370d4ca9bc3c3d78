import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { candidateCode, checkRelativePath, runVerifier, type VerifierConfig } from './verifier.js';

// A test suite for an `add` function, run by Node itself.
const addTests: VerifierConfig = {
  command: [process.execPath, 'check.mjs'],
  candidateFile: 'solution.mjs',
  files: {
    'check.mjs': "import { add } from './solution.mjs';\nif (add(2, 3) !== 5 || add(-1, 1) !== 0) { console.error('add is wrong'); process.exit(1); }\nconsole.log('ok');\n",
  },
};

describe('candidateCode', () => {
  it('takes the last fenced block, or the whole text', () => {
    expect(candidateCode('First:\n```js\nold()\n```\nBetter:\n```js\nnew()\n```\n')).toBe('new()\n');
    expect(candidateCode('just text')).toBe('just text');
  });
});

describe('runVerifier', () => {
  it('passes a candidate whose code passes the tests, fails one whose code does not', async () => {
    const good = await runVerifier(addTests, 'Here it is:\n```js\nexport const add = (a, b) => a + b;\n```', new AbortController().signal);
    expect(good).toMatchObject({ passed: true, exitCode: 0, timedOut: false });
    expect(good.output).toContain('ok');
    const bad = await runVerifier(addTests, '```js\nexport const add = (a, b) => a - b;\n```', new AbortController().signal);
    expect(bad).toMatchObject({ passed: false, exitCode: 1 });
    expect(bad.output).toContain('add is wrong');
  });

  it('gives the command no server secrets, and a directory of its own that is removed', async () => {
    process.env.KESTREL_TEST_SECRET = 'hunter2';
    try {
      const verdict = await runVerifier(
        { command: [process.execPath, '-e', "console.log(JSON.stringify({ secret: process.env.KESTREL_TEST_SECRET ?? null, cwd: process.cwd(), answer: require('fs').readFileSync(process.env.KESTREL_ANSWER, 'utf8') }))"] },
        'forty-two',
        new AbortController().signal,
      );
      const seen = JSON.parse(verdict.output) as { secret: string | null; cwd: string; answer: string };
      expect(seen.secret).toBeNull();
      expect(seen.answer).toBe('forty-two');
      expect(existsSync(seen.cwd)).toBe(false);
    } finally {
      delete process.env.KESTREL_TEST_SECRET;
    }
  });

  it('kills a command that runs past its timeout', async () => {
    const verdict = await runVerifier({ command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], timeoutMs: 200 }, 'x', new AbortController().signal);
    expect(verdict).toMatchObject({ passed: false, timedOut: true, exitCode: null });
  });

  it('a command that cannot start fails the candidate', async () => {
    const verdict = await runVerifier({ command: ['/nonexistent/verifier'] }, 'x', new AbortController().signal);
    expect(verdict).toMatchObject({ passed: false, exitCode: null });
    expect(verdict.output).toMatch(/ENOENT/);
  });

  it('refuses paths that leave the directory', async () => {
    expect(checkRelativePath('../etc/passwd')).toMatch(/relative path/);
    expect(checkRelativePath('/etc/passwd')).toMatch(/relative path/);
    expect(checkRelativePath('tests/test_a.py')).toBeNull();
    await expect(runVerifier({ command: ['true'], files: { '../x': 'y' } }, 'x', new AbortController().signal)).rejects.toThrow(/relative path/);
  });
});
