import { describe, expect, it } from 'vitest';
import {
  EMPTY_PRICE_TABLE,
  formatPriceTable,
  type PriceTable,
  parsePriceTable,
  priceFor,
  priceForModels,
  validatePriceTable,
} from './price-table.ts';

// Made-up figures: the project writes down no provider's prices.
const table: PriceTable = {
  currency: 'EUR',
  prices: [
    { model: 'alpha/one', input: 0.5, output: 1.25, cachedInput: 0.125 },
    { model: 'beta, "quoted"', input: 3, output: 0 },
  ],
};

describe('price tables', () => {
  it('reads JSON and CSV, and each format reads back what it wrote', () => {
    for (const format of ['json', 'csv'] as const) {
      const back = parsePriceTable(formatPriceTable(table, format));
      expect(back).toEqual({ ok: true, table });
    }
  });

  it('reads a hand-written CSV: columns in any order, spaces, a BOM, CRLF, no currency column (USD)', () => {
    const csv = '\uFEFFOutput, Model ,Input,Cached Input\r\n2,m-1,1,\r\n\r\n 4 ,m-2, 3 ,1.5\r\n';
    expect(parsePriceTable(csv)).toEqual({
      ok: true,
      table: {
        currency: 'USD',
        prices: [
          { model: 'm-1', input: 1, output: 2 },
          { model: 'm-2', input: 3, output: 4, cachedInput: 1.5 },
        ],
      },
    });
  });

  it('refuses what is not a price, naming the line or entry', () => {
    const bad: [string, RegExp][] = [
      ['model,input\nm,1\n', /header must name the columns model, input and output/],
      ['model,input,output\nm,1,free\n', /line 2: the output price of "m" is not a number/],
      ['model,input,output\nm,-1,2\n', /line 2: the input price of "m" is negative/],
      ['model,input,output\nm,1,2\nm,1,2\n', /line 3: "m" has a price already/],
      ['model,input,output\n,1,2\n', /line 2: the model's name is missing/],
      ['model,input,output,currency\na,1,2,USD\nb,1,2,EUR\n', /one currency a table/],
      ['model,input,output\n"a,1,2\n', /never closed/],
      ['{"currency":"dollars","prices":[]}', /three-letter code/],
      ['{"prices":[{"model":"m","input":1}]}', /prices\[0\]: the output price of "m" is missing/],
      ['{"prices":[{"model":"m","input":1,"output":1e400}]}', /not a number/],
      ['{"prices":{"m":1}}', /"prices" must be a list/],
      ['{"__proto__":{"x":1},"prices":[]}', /__proto__/],
      ['', /needs a header/],
    ];
    for (const [text, error] of bad) {
      const r = parsePriceTable(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toMatch(error);
    }
  });

  it('finds a model by its exact name; a model not in the table has no price (not a price of zero)', () => {
    expect(priceFor(table, 'alpha/one')).toEqual({
      input: 0.5,
      output: 1.25,
      cachedInput: 0.125,
      currency: 'EUR',
    });
    expect(priceFor(table, ' alpha/one ')).not.toBeNull();
    expect(priceFor(table, 'Alpha/One')).toBeNull();
    expect(priceFor(EMPTY_PRICE_TABLE, 'alpha/one')).toBeNull();
  });

  it('prices one model under several names at the dearest of their prices, field by field', () => {
    // Made-up figures: the project writes down no provider's prices.
    const two = {
      currency: 'USD',
      prices: [
        { model: 'a', input: 1, output: 8, cachedInput: 0.25 },
        { model: 'b', input: 2, output: 4 },
      ],
    };
    expect(priceForModels(two, ['a'])).toEqual(priceFor(two, 'a'));
    expect(priceForModels(two, ['a', ' a '])).toEqual(priceFor(two, 'a'));
    // b has no cached price: its cached prompt tokens cost its input price, 2.
    expect(priceForModels(two, ['a', 'b'])).toEqual({ input: 2, output: 8, cachedInput: 2, currency: 'USD' });
    expect(priceForModels(two, ['a', 'c'])).toBeNull();
    expect(priceForModels(two, [])).toBeNull();
  });

  it('checks a saved table with the same rules', () => {
    expect(validatePriceTable({ currency: 'usd', prices: [] })).toEqual({
      ok: true,
      table: EMPTY_PRICE_TABLE,
    });
    expect(validatePriceTable({ prices: ['m'] }).ok).toBe(false);
    expect(validatePriceTable(null).ok).toBe(false);
  });
});
