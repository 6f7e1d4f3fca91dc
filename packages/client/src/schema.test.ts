import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchemaSource } from './generate.ts';

describe('the typed client', () => {
  it('is generated from the current OpenAPI document (run `npm run client:generate` after changing the API)', async () => {
    const checkedIn = readFileSync(new URL('./schema.ts', import.meta.url), 'utf8');
    expect(checkedIn).toBe(await generateSchemaSource());
  });
});
