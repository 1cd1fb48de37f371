import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/worker/api-schema';

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument('https://bahth.example'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is checked for real: a broken document fails', async () => {
    const broken = { ...openApiDocument('https://bahth.example'), info: undefined };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
