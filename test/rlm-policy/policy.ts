/**
 * TEST DOUBLE: how the scripted model answers a root prompt of RLM mode, deterministically. It reads the
 * prompt as a model would: it is told that a JavaScript sandbox holds the document as `context` with an
 * `llm_query` whose prompts must fit about C characters; it reads the question and what its earlier code
 * printed, and writes the next code block:
 *
 * 1. Cut `context` at line breaks into pieces that leave room for its instructions within C characters, ask each piece
 *    the question with `llm_query_batched` (the question turned into an instruction, "What is X?" → "Find
 *    X…", and the question itself), keep the answers that are not NOT_FOUND, and print them.
 * 2. When the last output shows the answers, `FINAL` the distinct ones joined by newlines (or NOT_FOUND).
 *    When it shows an error instead (PromptTooLarge, say), cut the pieces in half and try again.
 *
 * A question that asks for something else is obeyed as a (badly behaved) model would obey it, so tests can
 * make runaway code from the page or the CLI: "loop forever" writes an endless loop; "never finish" keeps
 * printing without ever giving FINAL; "ask for everything" sends the whole document in one llm_query
 * (PromptTooLarge) and catches the error; "keep asking" sends oversize prompts in an endless loop that
 * swallows every error.
 *
 * Used by the in-process double (workers/lang/testing/scripted-model.ts) and the scripted server alike.
 */

export interface PolicyMessage {
  role: string;
  content: string;
}

/** The prompt describes the sandbox: an llm_query over `context` and FINAL to end. */
function isRlmRootPrompt(messages: readonly PolicyMessage[]): boolean {
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  return /\bllm_query\(/.test(system) && /`context`/.test(system) && /\bFINAL\(/.test(system);
}

/** The size the prompt gives an llm_query prompt, in characters. */
function subPromptChars(system: string): number {
  const m = /about ([\d,]+) characters/.exec(system);
  return m ? Number((m[1] as string).replace(/,/g, '')) : 2000;
}

function questionOf(messages: readonly PolicyMessage[]): string {
  for (const m of messages) {
    const q = /^Question:\s*(.+)$/m.exec(m.content);
    if (q && m.role === 'user') return (q[1] as string).trim();
  }
  return '';
}

/** "What is the secret code for K?" → "Find the secret code for K". */
function instructionFor(question: string): string {
  const asked = question
    .replace(/^[^:?]*\b(ask for everything|keep asking|loop forever|never finish)\b[^:?]*:\s*/i, '')
    .replace(/[?.!\s]+$/, '')
    .replace(/^(what|which|who|where|when)\s+(is|are|was|were)\s+/i, '')
    .replace(/^(find|list|give|tell me)\s+/i, '');
  return `Find ${asked} in the text below. Reply with it only, or NOT_FOUND if the text does not hold it.`;
}

/** The first code block: pieces that fit, one llm_query each, the answers printed. */
function askEveryPiece(question: string, pieceChars: number): string {
  const instruction = instructionFor(question);
  return [
    `const size = ${pieceChars};`,
    'const pieces = [];',
    'for (let i = 0; i < context.length; ) {',
    '  let end = Math.min(context.length, i + size);',
    '  const lineEnd = context.lastIndexOf("\\n", end);',
    '  if (end < context.length && lineEnd > i) end = lineEnd + 1;',
    '  pieces.push(context.slice(i, end));',
    '  i = end;',
    '}',
    `const instruction = ${JSON.stringify(instruction)};`,
    'const answers = await llm_query_batched(pieces.map((p) => instruction + "\\n\\nQuestion: " + query + "\\n\\nText:\\n" + p));',
    'const found = answers.map((a) => a.trim()).filter((a) => a !== "" && !/^NOT[\\s_]?FOUND\\b/i.test(a));',
    'print(pieces.length + " pieces, answers found:", JSON.stringify(found));',
  ].join('\n');
}

const FINISH = 'FINAL(found.length > 0 ? [...new Set(found)].join("\\n") : "NOT_FOUND");';

/** The model's reply to an RLM root prompt, or undefined when the prompt is not one. */
export function rlmPolicyReply(messages: readonly PolicyMessage[]): string | undefined {
  if (!isRlmRootPrompt(messages)) return undefined;
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const question = questionOf(messages);
  const replies = messages.filter((m) => m.role === 'assistant').length;
  const lastOutput = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const fence = (code: string, words: string) => `${words}\n\n\`\`\`js\n${code}\n\`\`\``;

  if (/loop forever/i.test(question)) {
    return fence('let spins = 0;\nwhile (true) { spins++ }', 'I will keep working on it.');
  }
  if (/never finish/i.test(question)) {
    return fence(`print("still looking (${replies + 1})")`, 'Let me look a little more.');
  }
  if (/keep asking/i.test(question)) {
    return fence(
      'while (true) {\n  try { await llm_query(context + context) } catch (e) {}\n}',
      'I will ask until it works.',
    );
  }
  if (/ask for everything/i.test(question) && replies === 0) {
    return fence(
      'try {\n  print(await llm_query(query + "\\n\\n" + context));\n} catch (e) {\n  print("caught", e.name, e.message);\n}',
      'Let me ask about the whole document at once.',
    );
  }

  // Room for the instruction, the question and the labels around each piece.
  const room = subPromptChars(system) - instructionFor(question).length - question.length - 60;
  const base = Math.max(200, Math.floor(room * 0.9));
  if (replies === 0) return fence(askEveryPiece(question, base), 'I will read the document piece by piece.');
  if (/answers found:/.test(lastOutput) && !/Error \(/.test(lastOutput)) {
    return fence(FINISH, 'I have what the pieces say.');
  }
  // The last try failed: smaller pieces.
  const attempts = replies;
  return fence(
    askEveryPiece(question, Math.max(100, Math.floor(base / 2 ** attempts))),
    'That did not work; smaller pieces.',
  );
}
