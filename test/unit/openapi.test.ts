import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/worker/api-schema';

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is checked for real: a broken document fails', async () => {
    const broken = { ...openApiDocument(), info: undefined };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('names no host: its server is relative, whatever Host a request carried', () => {
    expect(openApiDocument().servers).toEqual([{ url: '/', description: expect.any(String) }]);
  });
});

interface LintProblem { ruleId: string; severity: string; message: string; location: { pointer: string }[] }

const dir = mkdtempSync(join(tmpdir(), 'bahth-redocly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Redocly CLI's `lint` with its recommended rules on a document, offline; every problem found. */
async function redoclyLint(doc: unknown): Promise<LintProblem[]> {
  const file = join(dir, `openapi-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  // No telemetry, no update check: the lint reads only the file.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const run = promisify(execFile)(process.execPath, [cli, 'lint', '--extends=recommended', '--format=json', file], { cwd: dir, env, maxBuffer: 1 << 24 });
  // It exits 1 when it finds an error; the report is on stdout either way.
  const { stdout } = await run.catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
  expect(report.problems.length).toBe(report.totals.errors + report.totals.warnings);
  return report.problems;
}

describe('the OpenAPI document under Redocly\'s recommended rules', () => {
  it('has no error and no warning', async () => {
    const problems = await redoclyLint(openApiDocument());
    expect(problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });

  it('is linted for real: without `security: []` every operation is flagged security-defined', async () => {
    const { security: _public, ...undeclared } = openApiDocument();
    const flagged = (await redoclyLint(undeclared)).filter((p) => p.ruleId === 'security-defined').map((p) => p.location[0]?.pointer);
    expect(flagged.sort()).toEqual(['#/paths/~1articles/get', '#/paths/~1articles~1{id}/get', '#/paths/~1articles~1{id}~1related/get', '#/paths/~1clicks/post', '#/paths/~1health/get', '#/paths/~1search/get', '#/paths/~1suggest/get']);
  });
});
