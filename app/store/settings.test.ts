import { describe, expect, it } from 'vitest';
import { NO_NAVIGATOR_GPU, SWIFTSHADER } from '../../test/gpu-statuses.ts';
import {
  activeEngine,
  createSettingsStore,
  engineReason,
  modelConfigOf,
  type SettingsStorage,
} from './settings.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

function storages() {
  const local = memoryStorage();
  const session = memoryStorage();
  return { local, session, storage: { local, session } satisfies SettingsStorage };
}

const noGpu = NO_NAVIGATOR_GPU;
const swiftshader = SWIFTSHADER;

const KEY = 'sk-secret-abcdef123456';

describe('settings store: the API key', () => {
  it('keeps the key in sessionStorage only, never beside the other settings', () => {
    const { local, session, storage } = storages();
    const store = createSettingsStore(storage);
    store.getState().setApi({ baseUrl: 'http://localhost:8000/v1', model: 'qwen3' });
    store.getState().setApiKey(KEY);
    expect(session.data.get('fixpoint.apiKey')).toBe(KEY);
    expect(local.data.has('fixpoint.apiKey')).toBe(false);
    const saved = local.data.get('fixpoint.settings.v1') ?? '';
    expect(saved).toContain('localhost:8000');
    expect(saved).not.toContain(KEY);
  });

  it('moves the key to localStorage when remembered, and back when not', () => {
    const { local, session, storage } = storages();
    const store = createSettingsStore(storage);
    store.getState().setApiKey(KEY);
    store.getState().setRememberKey(true);
    expect(local.data.get('fixpoint.apiKey')).toBe(KEY);
    expect(session.data.has('fixpoint.apiKey')).toBe(false);
    // A new page on this device reads it back.
    expect(createSettingsStore(storage).getState().apiKey).toBe(KEY);
    store.getState().setRememberKey(false);
    expect(local.data.has('fixpoint.apiKey')).toBe(false);
    expect(session.data.get('fixpoint.apiKey')).toBe(KEY);
    store.getState().setApiKey('');
    expect(session.data.has('fixpoint.apiKey')).toBe(false);
  });

  it('survives missing or broken storage', () => {
    const { local } = storages();
    local.setItem('fixpoint.settings.v1', '{not json');
    expect(createSettingsStore({ local, session: null }).getState().api.concurrency).toBe(4);
    const store = createSettingsStore({ local: null, session: null });
    store.getState().setApiKey(KEY);
    expect(store.getState().apiKey).toBe(KEY);
  });

  it('ignores saved values of the wrong type', () => {
    const { local, storage } = storages();
    local.setItem(
      'fixpoint.settings.v1',
      JSON.stringify({
        engine: 'gpu9000',
        webllmSize: '70B',
        api: { baseUrl: 5, concurrency: -2 },
        cpuContextWindow: 'x',
        ggufDevice: 'tpu',
      }),
    );
    const s = createSettingsStore(storage).getState();
    expect(s.engine).toBeNull();
    expect(s.webllmSize).toBe('0.6B');
    expect(s.api).toEqual({ baseUrl: '', model: '', concurrency: 4, contextWindow: 8192 });
    expect(s.cpuContextWindow).toBe(4096);
    expect(s.ggufDevice).toBe('auto');
  });
});

describe('settings store: further endpoints', () => {
  const KEY2 = 'sk-second-endpoint-778899';

  it('keeps each endpoint’s key with the API key (this tab unless remembered), never in the settings', () => {
    const { local, session, storage } = storages();
    const store = createSettingsStore(storage);
    store.getState().addEndpoint();
    const id = store.getState().endpoints[0]!.id;
    store.getState().setEndpoint(id, { baseUrl: 'http://gpu-2:8000/v1', weight: 2, requestsPerMinute: 60 });
    store.getState().setEndpointKey(id, KEY2);
    expect(session.data.get('fixpoint.endpointKeys')).toContain(KEY2);
    const saved = local.data.get('fixpoint.settings.v1') ?? '';
    expect(saved).toContain('gpu-2:8000');
    expect(saved).not.toContain(KEY2);
    expect([...local.data.values()].join('\n')).not.toContain(KEY2);

    store.getState().setRememberKey(true);
    expect(local.data.get('fixpoint.endpointKeys')).toContain(KEY2);
    expect(session.data.has('fixpoint.endpointKeys')).toBe(false);
    const again = createSettingsStore(storage).getState();
    expect(again.endpoints).toEqual([
      { id, baseUrl: 'http://gpu-2:8000/v1', model: '', concurrency: 4, weight: 2, requestsPerMinute: 60 },
    ]);
    expect(again.endpointKeys).toEqual({ [id]: KEY2 });

    store.getState().removeEndpoint(id);
    expect(store.getState().endpoints).toEqual([]);
    expect(local.data.has('fixpoint.endpointKeys')).toBe(false);
  });

  it('puts the endpoints with a URL, their keys and limits, into the API config; clears a limit when asked', () => {
    const store = createSettingsStore(storages().storage);
    store.getState().setGpu(noGpu);
    store.getState().setApi({ baseUrl: 'http://gpu-1:8000/v1', model: 'qwen3-8b', tokensPerMinute: 90_000 });
    store.getState().addEndpoint();
    store.getState().addEndpoint();
    const [second] = store.getState().endpoints;
    store.getState().setEndpoint(second!.id, { baseUrl: ' http://gpu-2:8000/v1 ', concurrency: 16 });
    store.getState().setEndpointKey(second!.id, KEY2);
    expect(modelConfigOf(store.getState())).toMatchObject({
      ok: true,
      config: {
        baseUrl: 'http://gpu-1:8000/v1',
        tokensPerMinute: 90_000,
        // The endpoint left without a URL is not one.
        endpoints: [{ baseUrl: 'http://gpu-2:8000/v1', apiKey: KEY2, concurrency: 16, weight: 1 }],
      },
    });
    store.getState().setApi({ tokensPerMinute: undefined });
    expect(store.getState().api).not.toHaveProperty('tokensPerMinute');
  });

  it('ignores saved endpoints of the wrong shape', () => {
    const { local, storage } = storages();
    local.setItem(
      'fixpoint.settings.v1',
      JSON.stringify({ endpoints: [{ id: 'a', baseUrl: 'http://x/v1', weight: -1 }, { baseUrl: 3 }, 'x'] }),
    );
    expect(createSettingsStore(storage).getState().endpoints).toEqual([
      { id: 'a', baseUrl: 'http://x/v1', model: '', concurrency: 4, weight: 1 },
    ]);
  });
});

describe('settings store: the engine and its config', () => {
  it('defaults to WebGPU where usable and to the API elsewhere, and says why', () => {
    expect(activeEngine({ engine: null, gpu: swiftshader })).toBe('webllm');
    expect(activeEngine({ engine: null, gpu: noGpu })).toBe('openai');
    expect(engineReason({ engine: null, gpu: noGpu })).toBe(
      'API by default: WebGPU is not available in this browser (no navigator.gpu).',
    );
    expect(engineReason({ engine: null, gpu: swiftshader })).toMatch(
      /^Local WebGPU by default: WebGPU available/,
    );
    expect(engineReason({ engine: 'webllm', gpu: noGpu })).toMatch(
      /chosen in these settings — but WebGPU is not/,
    );
  });

  it('builds the WebLLM config in the quantization the adapter supports', () => {
    const store = createSettingsStore(storages().storage);
    store.getState().setGpu(swiftshader);
    store.getState().setWebllmSize('1.7B');
    expect(modelConfigOf(store.getState())).toEqual({
      ok: true,
      config: { engine: 'webllm', modelId: 'Qwen3-1.7B-q4f32_1-MLC' },
    });
    store.getState().setGpu({ ...swiftshader, shaderF16: true, quantization: 'q4f16' });
    expect(modelConfigOf(store.getState())).toMatchObject({ config: { modelId: 'Qwen3-1.7B-q4f16_1-MLC' } });
  });

  it('asks for what the API config lacks, then carries the key in the config only', () => {
    const store = createSettingsStore(storages().storage);
    store.getState().setGpu(noGpu);
    expect(modelConfigOf(store.getState())).toEqual({
      ok: false,
      reason: 'Set the API base URL in the model settings.',
    });
    store.getState().setApi({ baseUrl: ' http://localhost:11434/v1 ', model: 'qwen3:4b', concurrency: 8 });
    store.getState().setApiKey(KEY);
    expect(modelConfigOf(store.getState())).toEqual({
      ok: true,
      config: {
        engine: 'openai',
        baseUrl: 'http://localhost:11434/v1',
        model: 'qwen3:4b',
        apiKey: KEY,
        concurrency: 8,
        contextWindow: 8192,
      },
    });
  });

  it('asks for the GPU for a GGUF by default, and for the CPU only when chosen, and remembers the choice', () => {
    const { storage } = storages();
    const store = createSettingsStore(storage);
    store.getState().setEngine('wllama');
    store.getState().setGgufUrl('https://example.org/m/model-q4.gguf');
    expect(modelConfigOf(store.getState())).toMatchObject({ config: { engine: 'wllama', device: 'auto' } });
    store.getState().setGgufDevice('cpu');
    expect(modelConfigOf(store.getState())).toMatchObject({ config: { device: 'cpu' } });
    expect(createSettingsStore(storage).getState().ggufDevice).toBe('cpu');
    expect(engineReason({ engine: 'wllama', gpu: noGpu })).toBe('GGUF (llama.cpp): chosen in these settings');
  });

  it('builds the GGUF config from a URL, then from a picked file, and back to the URL', () => {
    const { storage } = storages();
    const store = createSettingsStore(storage);
    store.getState().setEngine('wllama');
    expect(modelConfigOf(store.getState()).ok).toBe(false);
    store.getState().setGgufUrl('https://example.org/m/model-q4.gguf');
    expect(modelConfigOf(store.getState())).toMatchObject({
      config: { source: { url: 'https://example.org/m/model-q4.gguf' } },
    });
    const file = new File([new Uint8Array(4)], 'local.gguf');
    store.getState().setGgufFile(file);
    expect(modelConfigOf(store.getState())).toMatchObject({
      config: { source: { file, name: 'local.gguf' }, contextWindow: 4096 },
    });
    store.getState().setGgufFile(null);
    expect(modelConfigOf(store.getState())).toMatchObject({
      config: { source: { url: 'https://example.org/m/model-q4.gguf' } },
    });
    // The URL is remembered; a file cannot be.
    expect(createSettingsStore(storage).getState().gguf).toEqual({
      kind: 'url',
      url: 'https://example.org/m/model-q4.gguf',
    });
  });
});

describe('settings store: deadlines', () => {
  it('keeps the deadlines a user set, and a field cleared goes back to its default', () => {
    const { storage } = storages();
    const store = createSettingsStore(storage);
    expect(store.getState().deadlines).toEqual({});
    store.getState().setDeadlines({ retryAfterCapMs: 2000, leafTimeoutMs: 0 });
    expect(createSettingsStore(storage).getState().deadlines).toEqual({
      retryAfterCapMs: 2000,
      leafTimeoutMs: 0,
    });
    store.getState().setDeadlines({ retryAfterCapMs: undefined });
    expect(createSettingsStore(storage).getState().deadlines).toEqual({ leafTimeoutMs: 0 });
  });

  it('drops saved deadlines that are not whole milliseconds from 0 to an hour', () => {
    const { local, storage } = storages();
    local.setItem(
      'fixpoint.settings.v1',
      JSON.stringify({
        deadlines: { attemptTimeoutMs: -1, leafTimeoutMs: 1e12, retryAfterCapMs: '5', extra: 3 },
      }),
    );
    expect(createSettingsStore(storage).getState().deadlines).toEqual({});
    local.setItem('fixpoint.settings.v1', JSON.stringify({ deadlines: { attemptTimeoutMs: 30_000 } }));
    expect(createSettingsStore(storage).getState().deadlines).toEqual({ attemptTimeoutMs: 30_000 });
  });
});

describe('settings store: reading saved settings', () => {
  it('a damaged field reads as its default and leaves the others standing', () => {
    const { local, storage } = storages();
    local.setItem(
      'fixpoint.settings.v1',
      JSON.stringify({
        engine: 'quantum',
        api: { baseUrl: 'http://localhost:8000/v1', model: 42, concurrency: -3, contextWindow: 16384 },
        endpoints: [{ id: 'a', baseUrl: 'http://b/v1', weight: 'heavy' }, { baseUrl: 'no id' }, 7],
        cpuContextWindow: 'big',
        ggufDevice: 'gpu-please',
        maxCost: Number.NaN,
        rememberKey: false,
      }),
    );
    const s = createSettingsStore(storage).getState();
    expect(s.engine).toBeNull();
    expect(s.api).toEqual({
      baseUrl: 'http://localhost:8000/v1',
      model: '',
      concurrency: 4,
      contextWindow: 16384,
    });
    expect(s.endpoints).toEqual([{ id: 'a', baseUrl: 'http://b/v1', model: '', concurrency: 4, weight: 1 }]);
    expect(s.cpuContextWindow).toBe(4096);
    expect(s.ggufDevice).toBe('auto');
    expect(s.maxCost).toBeNull();
  });

  it('saved settings that are not an object read as none', () => {
    for (const raw of ['[1,2]', '"text"', 'null', '{not json']) {
      const { local, storage } = storages();
      local.setItem('fixpoint.settings.v1', raw);
      expect(createSettingsStore(storage).getState().api).toEqual({
        baseUrl: '',
        model: '',
        concurrency: 4,
        contextWindow: 8192,
      });
    }
  });
});
