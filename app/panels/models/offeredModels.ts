/**
 * The models an API server offers (from its /models), for the Model field's suggestions. Filled when a base
 * URL is entered and by "Test connection"; a server that does not list them (or hides the list from the
 * page) just offers none.
 */
import { create } from 'zustand';
import type { ModelInfo } from '../../../workers/models/index.ts';
import { runtimeClient } from '../../runtime/runtimeClient.ts';
import { settingsStore } from '../../store/settings.ts';

export const useOfferedModels = create<{ baseUrl: string; models: ModelInfo[] }>()(() => ({
  baseUrl: '',
  models: [],
}));

/** One empty list, so a selector's answer is stable (a fresh `[]` each time re-renders without end). */
const NONE: never[] = [];

/** The models offered for this base URL (none until its server has listed them). */
export function useModelsOffered(baseUrl: string): ModelInfo[] {
  return useOfferedModels((s) => (s.baseUrl === baseUrl.trim() ? s.models : NONE));
}

/** A few of the offered models' names, for a sentence. */
export function someModelNames(models: readonly ModelInfo[], max = 8): string {
  return `${models
    .slice(0, max)
    .map((m) => m.id)
    .join(', ')}${models.length > max ? ', …' : ''}`;
}

export function offerModels(baseUrl: string, models: ModelInfo[]): void {
  useOfferedModels.setState({ baseUrl: baseUrl.trim(), models });
}

/** Asks the server at the settings' base URL for its models (in the runtime worker); failures offer none. */
export async function fetchOfferedModels(): Promise<void> {
  const s = settingsStore.getState();
  const baseUrl = s.api.baseUrl.trim();
  if (!baseUrl || useOfferedModels.getState().baseUrl === baseUrl) return;
  try {
    const models = await runtimeClient().listModels({
      engine: 'openai',
      baseUrl,
      model: s.api.model.trim() || 'unknown',
      ...(s.apiKey && { apiKey: s.apiKey }),
      concurrency: 1,
      contextWindow: s.api.contextWindow,
      timeoutMs: 10_000,
    });
    if (settingsStore.getState().api.baseUrl.trim() === baseUrl) offerModels(baseUrl, models);
  } catch {
    if (settingsStore.getState().api.baseUrl.trim() === baseUrl) offerModels(baseUrl, []);
  }
}
