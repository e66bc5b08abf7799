/**
 * Model settings (docs/models.md): which engine runs the leaves and how. The run panel reads the active
 * `ModelConfig` from here; the model settings panel writes it.
 *
 * The API keys are secrets: the first endpoint's and those of further endpoints (docs/scale-out.md) live in
 * memory and in sessionStorage (this tab only), or in localStorage when the user ticks "remember on this
 * device". They are kept apart from the other settings, so nothing that saves, exports or shares settings
 * can carry them by accident.
 */
import { z } from 'zod';
import { createStore, useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import {
  EMPTY_PRICE_TABLE,
  type ModelPrice,
  type PriceTable,
  priceForModels,
  validatePriceTable,
} from '../../workers/lang/index.ts';
import type { EndpointSettings, GgufDevice, GpuStatus, ModelConfig } from '../../workers/models/index.ts';
import { GGUF_DEVICES, type Quantization, QWEN3_SIZES } from '../../workers/models/index.ts';

export type EngineChoice = 'webllm' | 'openai' | 'wllama';

/** Each engine's name, as the settings, the toolbar and the reasons say it. */
export const ENGINE_LABEL: Record<EngineChoice, string> = {
  webllm: 'Local WebGPU',
  openai: 'API',
  wllama: 'GGUF (llama.cpp)',
};
export type Qwen3Size = (typeof QWEN3_SIZES)[number];

export interface ApiSettings {
  baseUrl: string;
  model: string;
  concurrency: number;
  contextWindow: number;
  /** The first endpoint's limits; absent: learned from the server's x-ratelimit-* headers. */
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** One more endpoint serving the leaves: another server of a fleet, or a second provider. */
export interface ExtraEndpoint {
  /** This browser's own id for it, to keep its key apart (never sent anywhere). */
  id: string;
  baseUrl: string;
  /** Empty: the first endpoint's model name. */
  model: string;
  concurrency: number;
  weight: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/**
 * Deadlines of the leaf calls (docs/evaluation.md, "Bounds"), in ms; a field left out takes the runtime's
 * default (one attempt: scaled from its max tokens and the engine; one leaf: 80 s; Retry-After: 60 s).
 */
export interface DeadlineSettings {
  attemptTimeoutMs?: number;
  leafTimeoutMs?: number;
  retryAfterCapMs?: number;
}

/** The longest deadline a user may set: an hour (a number from storage past it is ignored). */
export const MAX_DEADLINE_MS = 3_600_000;

export type GgufSource = { kind: 'url'; url: string } | { kind: 'file'; file: File };

export interface SettingsState {
  /** What the user picked; null until they pick, when the detected capabilities decide. */
  engine: EngineChoice | null;
  webllmSize: Qwen3Size;
  api: ApiSettings;
  apiKey: string;
  /** Further endpoints, in order (the first is `api`). */
  endpoints: ExtraEndpoint[];
  /** Their keys, by endpoint id: secrets, stored like `apiKey`. */
  endpointKeys: Record<string, string>;
  rememberKey: boolean;
  /** A picked file cannot be saved: after a reload the user picks it again (the URL is kept). */
  gguf: GgufSource | null;
  ggufUrl: string;
  cpuContextWindow: number;
  /** Where a GGUF runs: the GPU where WebGPU can run it (else the CPU), or the CPU only. */
  ggufDevice: GgufDevice;
  /** What the runtime worker detected (not saved). */
  gpu: GpuStatus | null;
  deadlines: DeadlineSettings;
  /** The user's prices per model (docs/models.md, "Cost"); empty until they give some. */
  prices: PriceTable;
  /** A run stops before a call that could take its cost past this (the price's currency); null: no limit. */
  maxCost: number | null;

  setEngine(engine: EngineChoice): void;
  setWebllmSize(size: Qwen3Size): void;
  setApi(patch: Partial<ApiSettings>): void;
  setApiKey(key: string): void;
  addEndpoint(): void;
  setEndpoint(id: string, patch: Partial<Omit<ExtraEndpoint, 'id'>>): void;
  removeEndpoint(id: string): void;
  setEndpointKey(id: string, key: string): void;
  setRememberKey(remember: boolean): void;
  setGgufUrl(url: string): void;
  setGgufFile(file: File | null): void;
  setCpuContextWindow(tokens: number): void;
  setGgufDevice(device: GgufDevice): void;
  setGpu(gpu: GpuStatus): void;
  /** A field set to undefined goes back to its default. */
  setDeadlines(patch: DeadlineSettings): void;
  setPrices(table: PriceTable): void;
  setMaxCost(amount: number | null): void;
}

export const DEFAULT_API: ApiSettings = { baseUrl: '', model: '', concurrency: 4, contextWindow: 8192 };
export const DEFAULT_CPU_CONTEXT = 4096;

const SETTINGS_KEY = 'fixpoint.settings.v1';
const API_KEY_KEY = 'fixpoint.apiKey';
const ENDPOINT_KEYS_KEY = 'fixpoint.endpointKeys';
/** As many endpoints as the pool takes (workers/models/endpoint-pool.ts). */
export const MAX_EXTRA_ENDPOINTS = 63;

/** The part of the settings that is saved: everything but the key, the picked file and the detection. */
interface SavedSettings {
  engine: EngineChoice | null;
  webllmSize: Qwen3Size;
  api: ApiSettings;
  endpoints: ExtraEndpoint[];
  rememberKey: boolean;
  ggufUrl: string;
  cpuContextWindow: number;
  ggufDevice: GgufDevice;
  deadlines: DeadlineSettings;
  prices: PriceTable;
  maxCost: number | null;
}

export interface SettingsStorage {
  local: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

function browserStorage(): SettingsStorage {
  const get = (name: 'localStorage' | 'sessionStorage') => {
    try {
      return (globalThis as unknown as Record<string, Storage | undefined>)[name] ?? null;
    } catch {
      // Storage access can throw (blocked cookies, sandboxed frames): then settings last for the tab only.
      return null;
    }
  };
  return { local: get('localStorage'), session: get('sessionStorage') };
}

/** A saved field that is missing or damaged reads as absent: its default applies, the other fields stand. */
const field = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const positive = z.number().int().positive();
const perMinute = {
  requestsPerMinute: field(positive),
  tokensPerMinute: field(positive),
};
const deadlineMs = field(z.number().int().min(0).max(MAX_DEADLINE_MS));
/** Only whole milliseconds from 0 to an hour; anything else is left out (the default then applies). */
const deadlinesSchema = z.object({
  attemptTimeoutMs: deadlineMs,
  leafTimeoutMs: deadlineMs,
  retryAfterCapMs: deadlineMs,
});
const extraEndpointSchema = z.object({
  id: z.string(),
  baseUrl: z.string(),
  model: z.string().catch(''),
  concurrency: positive.catch(DEFAULT_API.concurrency),
  weight: z.number().positive().finite().catch(1),
  ...perMinute,
});
/**
 * What may be read back of the saved settings (a file this browser wrote, yet read like any input: it may be
 * old, hand-edited or damaged). A price table is read as an imported one: a damaged table is dropped whole.
 */
const savedSchema = z.object({
  engine: field(z.enum(['webllm', 'openai', 'wllama'])),
  webllmSize: field(z.enum(QWEN3_SIZES)),
  api: field(
    z.object({
      baseUrl: z.string().catch(DEFAULT_API.baseUrl),
      model: z.string().catch(DEFAULT_API.model),
      concurrency: positive.catch(DEFAULT_API.concurrency),
      contextWindow: positive.catch(DEFAULT_API.contextWindow),
      ...perMinute,
    }),
  ),
  endpoints: field(
    z.array(z.unknown()).transform((list) =>
      list
        .flatMap((e) => {
          const read = extraEndpointSchema.safeParse(e);
          return read.success ? [withoutUndefined(read.data)] : [];
        })
        .slice(0, MAX_EXTRA_ENDPOINTS),
    ),
  ),
  rememberKey: field(z.boolean()),
  ggufUrl: field(z.string()),
  cpuContextWindow: field(z.unknown().transform((v) => positive.safeParse(v).data ?? DEFAULT_CPU_CONTEXT)),
  ggufDevice: field(z.enum(GGUF_DEVICES)),
  deadlines: field(deadlinesSchema.transform(withoutUndefined)),
  prices: field(
    z.unknown().transform((v, ctx) => {
      const table = validatePriceTable(v);
      if (table.ok) return table.table;
      ctx.addIssue({ code: 'custom', message: 'not a price table' });
      return z.NEVER;
    }),
  ),
  maxCost: field(z.number().positive().finite()),
});

function readSaved(storage: SettingsStorage): Partial<SavedSettings> {
  try {
    const raw = storage.local?.getItem(SETTINGS_KEY);
    if (!raw) return {};
    const read = savedSchema.safeParse(JSON.parse(raw));
    return read.success ? (withoutUndefined(read.data) as Partial<SavedSettings>) : {};
  } catch {
    return {};
  }
}

/** Only whole milliseconds from 0 to an hour; anything else is left out (the default then applies). */
export function validDeadlines(d: Record<string, unknown>): DeadlineSettings {
  return withoutUndefined(deadlinesSchema.parse(d));
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Requests and tokens per minute, where given as positive whole numbers. */
function limitsOf(x: Record<string, unknown>): { requestsPerMinute?: number; tokensPerMinute?: number } {
  return withoutUndefined(z.object(perMinute).parse(x));
}

function positiveInt(x: unknown, fallback: number): number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : fallback;
}

/** Endpoint keys as stored: a JSON object of strings, anything else is none. */
function readKeys(raw: string | null | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
    );
  } catch {
    return {};
  }
}

function newEndpointId(): string {
  return `e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function createSettingsStore(storage: SettingsStorage = browserStorage()) {
  const saved = readSaved(storage);
  const rememberKey = saved.rememberKey ?? false;
  const keyStore = rememberKey ? storage.local : storage.session;
  const apiKey = keyStore?.getItem(API_KEY_KEY) ?? '';
  const endpointKeys = readKeys(keyStore?.getItem(ENDPOINT_KEYS_KEY));
  const ggufUrl = saved.ggufUrl ?? '';

  const store = createStore<SettingsState>()((set) => ({
    engine: saved.engine ?? null,
    webllmSize: saved.webllmSize ?? '0.6B',
    api: saved.api ?? DEFAULT_API,
    apiKey,
    endpoints: saved.endpoints ?? [],
    endpointKeys,
    rememberKey,
    gguf: ggufUrl ? { kind: 'url', url: ggufUrl } : null,
    ggufUrl,
    cpuContextWindow: saved.cpuContextWindow ?? DEFAULT_CPU_CONTEXT,
    ggufDevice: saved.ggufDevice ?? 'auto',
    gpu: null,
    deadlines: saved.deadlines ?? {},
    prices: saved.prices ?? EMPTY_PRICE_TABLE,
    maxCost: saved.maxCost ?? null,

    setEngine: (engine) => set({ engine }),
    setWebllmSize: (webllmSize) => set({ webllmSize }),
    setApi: (patch) => set((s) => ({ api: withPatch(s.api, patch) })),
    setApiKey: (key) => set({ apiKey: key }),
    addEndpoint: () =>
      set((s) =>
        s.endpoints.length >= MAX_EXTRA_ENDPOINTS
          ? {}
          : {
              endpoints: [
                ...s.endpoints,
                { id: newEndpointId(), baseUrl: '', model: '', concurrency: s.api.concurrency, weight: 1 },
              ],
            },
      ),
    setEndpoint: (id, patch) =>
      set((s) => ({
        endpoints: s.endpoints.map((e) => (e.id === id ? withPatch<ExtraEndpoint>(e, patch) : e)),
      })),
    removeEndpoint: (id) =>
      set((s) => {
        const { [id]: _dropped, ...keys } = s.endpointKeys;
        return { endpoints: s.endpoints.filter((e) => e.id !== id), endpointKeys: keys };
      }),
    setEndpointKey: (id, key) =>
      set((s) => {
        const { [id]: _old, ...keys } = s.endpointKeys;
        return { endpointKeys: key ? { ...keys, [id]: key } : keys };
      }),
    setRememberKey: (remember) => set({ rememberKey: remember }),
    setGgufUrl: (url) => set({ ggufUrl: url, gguf: url.trim() ? { kind: 'url', url: url.trim() } : null }),
    setGgufFile: (file) =>
      set((s) => ({
        gguf: file
          ? { kind: 'file', file }
          : s.ggufUrl.trim()
            ? { kind: 'url', url: s.ggufUrl.trim() }
            : null,
      })),
    setCpuContextWindow: (tokens) => set({ cpuContextWindow: positiveInt(tokens, DEFAULT_CPU_CONTEXT) }),
    setGgufDevice: (ggufDevice) => set({ ggufDevice }),
    setGpu: (gpu) => set({ gpu }),
    setDeadlines: (patch) =>
      set((s) => ({ deadlines: validDeadlines({ ...s.deadlines, ...patch } as Record<string, unknown>) })),
    setPrices: (prices) => set({ prices }),
    setMaxCost: (amount) =>
      set({ maxCost: amount !== null && Number.isFinite(amount) && amount > 0 ? amount : null }),
  }));

  store.subscribe((s, prev) => {
    const toSave: SavedSettings = {
      engine: s.engine,
      webllmSize: s.webllmSize,
      api: s.api,
      endpoints: s.endpoints,
      rememberKey: s.rememberKey,
      ggufUrl: s.ggufUrl,
      cpuContextWindow: s.cpuContextWindow,
      ggufDevice: s.ggufDevice,
      deadlines: s.deadlines,
      prices: s.prices,
      maxCost: s.maxCost,
    };
    try {
      storage.local?.setItem(SETTINGS_KEY, JSON.stringify(toSave));
      if (
        s.apiKey !== prev.apiKey ||
        s.endpointKeys !== prev.endpointKeys ||
        s.rememberKey !== prev.rememberKey
      ) {
        const keep = s.rememberKey ? storage.local : storage.session;
        const drop = s.rememberKey ? storage.session : storage.local;
        drop?.removeItem(API_KEY_KEY);
        drop?.removeItem(ENDPOINT_KEYS_KEY);
        if (s.apiKey) keep?.setItem(API_KEY_KEY, s.apiKey);
        else keep?.removeItem(API_KEY_KEY);
        if (Object.keys(s.endpointKeys).length > 0)
          keep?.setItem(ENDPOINT_KEYS_KEY, JSON.stringify(s.endpointKeys));
        else keep?.removeItem(ENDPOINT_KEYS_KEY);
      }
    } catch {
      // A full or blocked storage loses persistence, not the settings in memory.
    }
  });
  return store;
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

export const settingsStore: SettingsStore = createSettingsStore();

export function useSettings<T>(selector: (s: SettingsState) => T): T {
  return useStore(settingsStore, selector);
}

/** The engine in use: the user's pick, or WebGPU when this browser has it, else the API. */
export function activeEngine(s: Pick<SettingsState, 'engine' | 'gpu'>): EngineChoice {
  if (s.engine) return s.engine;
  return s.gpu?.usable ? 'webllm' : 'openai';
}

/** Why the active engine is the active one, in words: detection explains itself (docs/models.md). */
export function engineReason(s: Pick<SettingsState, 'engine' | 'gpu'>): string {
  const gpu = s.gpu;
  if (s.engine) {
    const picked = ENGINE_LABEL[s.engine];
    const warning = s.engine === 'webllm' && gpu && !gpu.usable ? ` — but ${lowerFirst(gpu.reason)}` : '';
    return `${picked}: chosen in these settings${warning}`;
  }
  if (!gpu) return 'Checking what this browser supports…';
  if (gpu.usable) return `Local WebGPU by default: ${lowerFirst(gpu.reason)}`;
  return `API by default: ${lowerFirst(gpu.reason)}`;
}

function lowerFirst(s: string): string {
  // Names (WebGPU) keep their capitals; a sentence's first word does not.
  return /^[A-Z][a-z]+\b/.test(s) && !/^WebGPU/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

export function quantizationOf(gpu: GpuStatus | null): Quantization {
  return gpu?.usable ? gpu.quantization : 'q4f32';
}

export function webllmModelId(size: Qwen3Size, quantization: Quantization): string {
  return `Qwen3-${size}-${quantization}_1-MLC`;
}

/**
 * The config a run uses, or why there is none yet. The key goes into the config (the runtime needs it to
 * call the API) and nowhere else: configs are never saved, exported or traced (use `describeModel`).
 */
export function modelConfigOf(
  s: SettingsState,
): { ok: true; config: ModelConfig } | { ok: false; reason: string } {
  switch (activeEngine(s)) {
    case 'webllm':
      if (s.gpu && !s.gpu.usable) return { ok: false, reason: s.gpu.reason };
      return {
        ok: true,
        config: { engine: 'webllm', modelId: webllmModelId(s.webllmSize, quantizationOf(s.gpu)) },
      };
    case 'openai':
      if (!s.api.baseUrl.trim()) return { ok: false, reason: 'Set the API base URL in the model settings.' };
      if (!s.api.model.trim()) return { ok: false, reason: 'Set the API model name in the model settings.' };
      return {
        ok: true,
        config: {
          engine: 'openai',
          baseUrl: s.api.baseUrl.trim(),
          model: s.api.model.trim(),
          ...(s.apiKey && { apiKey: s.apiKey }),
          concurrency: s.api.concurrency,
          contextWindow: s.api.contextWindow,
          ...limitsOf({ ...s.api }),
          ...(s.endpoints.some((e) => e.baseUrl.trim()) && { endpoints: endpointSettings(s) }),
        },
      };
    case 'wllama': {
      const source = s.gguf;
      if (!source)
        return { ok: false, reason: 'Give a GGUF model URL or pick a .gguf file in the model settings.' };
      return {
        ok: true,
        config: {
          engine: 'wllama',
          source: source.kind === 'url' ? { url: source.url } : { file: source.file, name: source.file.name },
          contextWindow: s.cpuContextWindow,
          device: s.ggufDevice,
        },
      };
    }
  }
}

/** The further endpoints with a URL, as the runtime takes them (their keys included: see modelConfigOf). */
function endpointSettings(s: SettingsState): EndpointSettings[] {
  return s.endpoints
    .filter((e) => e.baseUrl.trim())
    .map((e) => {
      const key = s.endpointKeys[e.id];
      return {
        baseUrl: e.baseUrl.trim(),
        ...(e.model.trim() && { model: e.model.trim() }),
        ...(key && { apiKey: key }),
        concurrency: e.concurrency,
        weight: e.weight,
        ...limitsOf({ ...e }),
      };
    });
}

function withPatch<T extends { requestsPerMinute?: number; tokensPerMinute?: number }>(
  e: T,
  patch: Partial<T>,
): T {
  const next: T = { ...e, ...patch };
  // A limit cleared in the form is no limit of ours: the server's headers decide.
  if (patch.requestsPerMinute === undefined && 'requestsPerMinute' in patch) delete next.requestsPerMinute;
  if (patch.tokensPerMinute === undefined && 'tokensPerMinute' in patch) delete next.tokensPerMinute;
  return next;
}

/** Secrets the app holds, for the exporters' redaction (workers/lang/format/secrets.ts). */
export function heldSecrets(): string[] {
  const { apiKey, endpointKeys } = settingsStore.getState();
  return [apiKey, ...Object.values(endpointKeys)].filter((k) => k !== '');
}

/**
 * The names the price table knows the active model by: the API's model name (and those of further endpoints
 * that name the model otherwise), the WebLLM model id, or the GGUF file's name. Empty when no model is set up.
 */
export function priceModelNames(s: SettingsState): string[] {
  if (activeEngine(s) !== 'openai') {
    const name = priceModelName(s);
    return name === null ? [] : [name];
  }
  const first = s.api.model.trim();
  if (!first) return [];
  const more = s.endpoints.filter((e) => e.baseUrl.trim() && e.model.trim()).map((e) => e.model.trim());
  return [...new Set([first, ...more])];
}

/**
 * The name the price table knows the active model by (several joined with " + ", see priceModelNames). Null
 * when no model is set up yet.
 */
export function priceModelName(s: SettingsState): string | null {
  switch (activeEngine(s)) {
    case 'openai':
      return priceModelNames(s).join(' + ') || null;
    case 'webllm':
      return webllmModelId(s.webllmSize, quantizationOf(s.gpu));
    case 'wllama': {
      const source = s.gguf;
      if (!source) return null;
      if (source.kind === 'file') return source.file.name;
      return source.url.split(/[?#]/)[0]!.split('/').filter(Boolean).pop() ?? null;
    }
  }
}

/**
 * The active model's price, or null: it has none (which is not a price of zero). Endpoints naming the model
 * differently are priced at the dearest of their prices (`priceForModels`), as the terminal does.
 */
export function activePrice(s: SettingsState): ModelPrice | null {
  const names = priceModelNames(s);
  return names.length === 0 ? null : priceForModels(s.prices, names);
}

/** The active model's price, for components (the same object until the price changes). */
export function useActivePrice(): ModelPrice | null {
  return useSettings(useShallow(activePrice));
}
