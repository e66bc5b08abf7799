import { describe, expect, it } from 'vitest';
import { activePrice, createSettingsStore, priceModelName, type SettingsStorage } from './settings.ts';

function memory() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

// Made-up figures: the project writes down no provider's prices.
const table = { currency: 'EUR', prices: [{ model: 'my-model', input: 0.4, output: 1.6 }] };

describe('settings store: prices and the money budget', () => {
  it('starts with no price at all, and keeps the table and the budget on this device', () => {
    const local = memory();
    const storage: SettingsStorage = { local, session: memory() };
    const store = createSettingsStore(storage);
    expect(store.getState().prices.prices).toEqual([]);
    expect(store.getState().maxCost).toBeNull();
    store.getState().setApi({ baseUrl: 'http://localhost:8000/v1', model: 'my-model' });
    store.getState().setEngine('openai');
    expect(activePrice(store.getState())).toBeNull();
    store.getState().setPrices(table);
    store.getState().setMaxCost(0.25);
    expect(activePrice(store.getState())).toEqual({ input: 0.4, output: 1.6, currency: 'EUR' });

    const reloaded = createSettingsStore(storage);
    expect(reloaded.getState().prices).toEqual(table);
    expect(reloaded.getState().maxCost).toBe(0.25);
    expect(priceModelName(reloaded.getState())).toBe('my-model');
    reloaded.getState().setMaxCost(Number.NaN);
    expect(reloaded.getState().maxCost).toBeNull();
  });

  it('prices further endpoints that name the model otherwise at the dearest price; none if one has none', () => {
    const store = createSettingsStore({ local: memory(), session: memory() });
    store.getState().setEngine('openai');
    store.getState().setApi({ baseUrl: 'http://localhost:8000/v1', model: 'my-model' });
    store.getState().setPrices({
      currency: 'EUR',
      prices: [
        { model: 'my-model', input: 0.4, output: 1.6 },
        { model: 'their-name', input: 0.5, output: 1.2 },
      ],
    });
    store.getState().addEndpoint();
    const [extra] = store.getState().endpoints;
    // Same model name (left empty), or no URL yet: the first endpoint's price.
    store.getState().setEndpoint(extra!.id, { baseUrl: 'https://provider.example/v1' });
    expect(activePrice(store.getState())).toEqual({ input: 0.4, output: 1.6, currency: 'EUR' });
    store.getState().setEndpoint(extra!.id, { model: 'their-name' });
    expect(priceModelName(store.getState())).toBe('my-model + their-name');
    expect(activePrice(store.getState())).toEqual({ input: 0.5, output: 1.6, currency: 'EUR' });
    store.getState().setEndpoint(extra!.id, { model: 'unpriced' });
    expect(activePrice(store.getState())).toBeNull();
  });

  it('drops a damaged saved table rather than using half of it', () => {
    const local = memory();
    local.setItem(
      'fixpoint.settings.v1',
      JSON.stringify({
        prices: { currency: 'EUR', prices: [{ model: 'm', input: -1, output: 1 }] },
        maxCost: -3,
      }),
    );
    const store = createSettingsStore({ local, session: memory() });
    expect(store.getState().prices.prices).toEqual([]);
    expect(store.getState().maxCost).toBeNull();
  });

  it('names a GGUF model by its file name, from a URL or a picked file', () => {
    const store = createSettingsStore({ local: memory(), session: memory() });
    store.getState().setEngine('wllama');
    store.getState().setGgufUrl('https://example.org/models/tiny-q4.gguf?download=1');
    expect(priceModelName(store.getState())).toBe('tiny-q4.gguf');
  });
});
