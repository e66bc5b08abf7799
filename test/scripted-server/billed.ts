/**
 * TEST DOUBLE helper: the tokens the scripted server billed, counted from what it received and answered by
 * its own rules (its tokenizer, tokenizer.ts: the prompt with its chat template, the answer as sent, already
 * cut at max tokens), never from what the client reported. Tests compare a run's cost with these.
 */
import type { ScriptedServer } from './server.ts';
import { scriptedPromptTokens, scriptedTokenCount } from './tokenizer.ts';

export function billedTokens(server: ScriptedServer): { prompt: number; completion: number } {
  let prompt = 0;
  let completion = 0;
  for (const r of server.chatRequests()) {
    // Faulted, refused or rate-limited requests were answered with no usage: nothing billed.
    if (r.fault !== null || !r.messages || r.answer === undefined) continue;
    prompt += scriptedPromptTokens(r.messages);
    completion += scriptedTokenCount(r.answer);
  }
  return { prompt, completion };
}
