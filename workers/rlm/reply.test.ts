import { describe, expect, it } from 'vitest';
import { parseReply } from './reply.ts';

describe('parseReply', () => {
  it('takes js, javascript, repl and untagged fences in order, and names other languages', () => {
    const r = parseReply(
      'First:\n```js\na = 1\n```\nthen\n```javascript\nb = 2\n```\n```repl\nc = 3\n```\n```\nd = 4\n```\n```python\nprint(1)\n```',
    );
    expect(r.blocks).toEqual(['a = 1', 'b = 2', 'c = 3', 'd = 4']);
    expect(r.otherLanguages).toEqual(['python']);
    expect(r.final).toBeUndefined();
  });

  it('reads FINAL written outside code, with parentheses and quotes in the answer', () => {
    expect(parseReply('Done.\nFINAL(The code is (probably) X-12)').final).toEqual({
      answer: 'The code is (probably) X-12',
    });
    expect(parseReply('FINAL("42")').final).toEqual({ answer: '42' });
    expect(parseReply('Answer:\nFINAL_VAR(result)').final).toEqual({ variable: 'result' });
    expect(parseReply("FINAL_VAR('result')").final).toEqual({ variable: 'result' });
  });

  it('leaves a FINAL inside code to the sandbox, and ignores FINAL in the middle of a sentence', () => {
    const r = parseReply('I will call FINAL(x) later.\n```js\nFINAL(answer)\n```');
    expect(r.blocks).toEqual(['FINAL(answer)']);
    expect(r.final).toBeUndefined();
  });

  it('keeps the code of a fence cut off at the token limit', () => {
    const r = parseReply('Here:\n```js\nconst pieces = [];\nfor (let i = 0;');
    expect(r.blocks).toEqual(['const pieces = [];\nfor (let i = 0;']);
  });
});
