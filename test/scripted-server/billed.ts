/**
 * TEST DOUBLE helper: the tokens the scripted server billed, counted from what it received and answered by
 * its own rules (prompt tokens a quarter of the characters; the answer's tokens, cut at max tokens), never
 * from what the client reported. Tests compare a run's cost with these.
 */
import { type ScriptedServer, tokens } from './server.ts';

export function billedTokens(server: ScriptedServer): { prompt: number; completion: number } {
  let prompt = 0;
  let completion = 0;
  for (const r of server.chatRequests()) {
    if (r.fault !== null || !r.messages) continue;
    prompt += Math.ceil(r.messages.reduce((n, m) => n + String(m.content).length, 0) / 4);
    completion += Math.min(tokens(r.answer ?? '').length, r.maxTokens ?? Number.POSITIVE_INFINITY);
  }
  return { prompt, completion };
}
