import { describe, expect, it } from 'vitest';
import { buildWidget, isUpToDate } from '../../scripts/build-widget';

describe('the embeddable widget', () => {
  it('has src/widget/embed-source.ts built from the current src/widget/bahth-search.ts (run `npm run build:widget`)', async () => {
    expect(isUpToDate(await buildWidget()), 'src/widget/embed-source.ts is stale: run `npm run build:widget`').toBe(true);
  });
});
