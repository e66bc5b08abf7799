/**
 * TEST DOUBLE: how the scripted model counts tokens. Deliberately not "four characters a token": it counts
 * the way byte-pair tokenizers of the Qwen family come out on average, so a plan sized by a naive estimate
 * overflows it as it would overflow a real server.
 *
 * - a run of ASCII letters: one token up to six letters, then one per five (a leading space is free);
 * - each digit is a token (Qwen splits numbers into digits);
 * - Chinese, Japanese and Korean: a token per character;
 * - other letters (accents, Cyrillic, Greek…): a token per two;
 * - a character outside the Basic Multilingual Plane (most emoji): two tokens; any other symbol: one;
 * - a line break: one; a run of spaces or tabs beyond the first: one per four;
 * - a chat message costs four tokens of template, and a chat three more to prime the answer.
 */

const SEGMENT =
  /(\r\n|\r|\n)|([ \t]{2,})|([A-Za-z]+)|(\p{Nd})|([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])|(\p{L}+)|([\u{10000}-\u{10FFFF}])|( )|([\s\S])/gu;

export function scriptedTokenCount(text: string): number {
  let n = 0;
  for (const m of text.matchAll(SEGMENT)) {
    if (m[1] !== undefined) n += 1;
    else if (m[2] !== undefined) n += Math.ceil((m[2].length - 1) / 4);
    else if (m[3] !== undefined) n += m[3].length <= 6 ? 1 : Math.ceil(m[3].length / 5);
    else if (m[4] !== undefined || m[5] !== undefined) n += 1;
    else if (m[6] !== undefined) n += Math.ceil(m[6].length / 2);
    else if (m[7] !== undefined) n += 2;
    else if (m[8] !== undefined) n += 0;
    else n += 1;
  }
  return n;
}

export const MESSAGE_OVERHEAD = 4;
export const CHAT_OVERHEAD = 3;

/** Tokens of a chat request's prompt, template included. */
export function scriptedPromptTokens(messages: readonly { content: string }[]): number {
  return messages.reduce(
    (n, m) => n + MESSAGE_OVERHEAD + scriptedTokenCount(String(m.content)),
    CHAT_OVERHEAD,
  );
}

/** The text cut to its first `max` tokens (for answers stopped at max_tokens). */
export function firstTokens(text: string, max: number): string {
  let n = 0;
  let end = 0;
  for (const m of text.matchAll(SEGMENT)) {
    const cost = scriptedTokenCount(m[0]);
    if (n + cost > max) break;
    n += cost;
    // A space is free: it goes out with the word after it, not after the last word.
    if (cost > 0) end = m.index + m[0].length;
  }
  return text.slice(0, end);
}
