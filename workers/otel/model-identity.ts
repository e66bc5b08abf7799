/**
 * What a tracing tool calls a run's model, from the identity the run log records (`LeafModel.id`: the
 * engine and the model name, never a URL or a key). The GenAI conventions name the provider as the client
 * knows it: an OpenAI-compatible API is spoken to as `openai` whichever server answers (vLLM, Ollama, …).
 */
export interface ModelIdentity {
  provider: string;
  model: string;
}

const PROVIDERS: Record<string, string> = {
  api: 'openai',
  webllm: 'webllm',
  wllama: 'llama.cpp',
};

export function modelIdentity(id: string): ModelIdentity {
  const colon = id.indexOf(':');
  if (colon <= 0) return { provider: id || 'unknown', model: id || 'unknown' };
  const engine = id.slice(0, colon);
  const model = id.slice(colon + 1) || id;
  return { provider: PROVIDERS[engine] ?? engine, model };
}
