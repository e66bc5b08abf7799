import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripThink, ThinkFilter } from './think.ts';

describe('stripThink', () => {
  it('removes a closed block and the gap after it', () => {
    expect(stripThink('<think>\nhmm, the code is 12?\n</think>\n\nAZURE-7')).toBe('AZURE-7');
  });

  it('removes an empty block (Qwen3 with thinking off)', () => {
    expect(stripThink('<think>\n\n</think>\n\n{"a":1}')).toBe('{"a":1}');
  });

  it('hides everything after an unclosed block: an answer cut while thinking has no answer', () => {
    expect(stripThink('<think>I should look for the key and')).toBe('');
  });

  it('drops the thought before a lone closing tag (template opened the block)', () => {
    expect(stripThink('the user wants the code</think>\n\n42')).toBe('42');
  });

  it('leaves text without tags alone', () => {
    expect(stripThink('  plain answer with a < sign ')).toBe('  plain answer with a < sign ');
  });
});

describe('ThinkFilter', () => {
  it('streams only visible text, however the answer is cut into pieces', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((s) => !s.includes('<')),
        fc.string({ maxLength: 30 }).filter((s) => !s.includes('<') && s.trim() !== ''),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        (thought, answer, cuts) => {
          const full = `<think>${thought}</think>\n\n${answer}`;
          const filter = new ThinkFilter();
          let shown = '';
          let at = 0;
          for (const n of cuts) {
            if (at >= full.length) break;
            shown += filter.push(full.slice(at, at + n));
            at += n;
          }
          if (at < full.length) shown += filter.push(full.slice(at));
          expect(shown).not.toContain('<');
          expect(answer.replace(/^\s+/, '').startsWith(shown)).toBe(true);
          expect(filter.text).toBe(answer.replace(/^\s+/, ''));
        },
      ),
    );
  });

  it('holds back a partial tag until it is known not to be one', () => {
    const filter = new ThinkFilter();
    expect(filter.push('a <th')).toBe('a ');
    expect(filter.push('ing>')).toBe('<thing>');
  });
});
