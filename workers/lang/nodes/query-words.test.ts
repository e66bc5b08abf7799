import { describe, expect, it } from 'vitest';
import { matches } from './match.ts';
import { queryKeywords } from './query-words.ts';

describe('the words of a question', () => {
  it('drops stop words, so "which" and "what" no longer match every document', () => {
    expect(queryKeywords('In which year did the stargazing station open?')).toEqual([
      'year',
      'stargazing',
      'station',
      'open',
    ]);
    expect(queryKeywords('What is the special magic number for silver-owl?')).toEqual([
      'special',
      'magic',
      'number',
      'silver',
      'owl',
    ]);
  });

  it("leaves off a possessive or contracted 's, which a document's own wording does not have", () => {
    expect(queryKeywords("What's the code for Otterbeck's lockers?")).toEqual([
      'code',
      'otterbeck',
      'lockers',
    ]);
    expect(queryKeywords('Who painted Vermeer’s girl?')).toEqual(['painted', 'vermeer', 'girl']);
    const byQuestion = (text: string) =>
      matches(
        text,
        { mode: 'keywords', keywords: '', queryWords: true },
        "What's the code for Otterbeck's lockers?",
      );
    expect(byQuestion('The Otterbeck locker opens to 58-2096-13.')).toBe(true);
  });

  it('cuts Chinese and Japanese questions, written without spaces, into words', () => {
    expect(queryKeywords('观测站是哪一年开放的？')).toEqual(['观测', '站', '年', '开放']);
    expect(queryKeywords('天文台は何年に開館しましたか')).toEqual(['天文台', '何年', '開館']);
  });

  it('keeps numbers and single CJK characters, not single Latin letters', () => {
    expect(queryKeywords('Is 1843 the year of a war in 京?')).toEqual(['1843', 'year', 'war', '京']);
  });

  it('lets Match find a piece by the question, in any script, whole words where words have spaces', () => {
    const byQuestion = (query: string) => (text: string) =>
      matches(text, { mode: 'keywords', keywords: '', queryWords: true, wholeWord: true }, query);
    expect(byQuestion('观测站是哪一年开放的？')('该观测站于1843年首次开放。')).toBe(true);
    expect(byQuestion('Where is the owl?')('The owlet slept.')).toBe(false);
    expect(byQuestion('Where is the owl?')('An owl slept.')).toBe(true);
    expect(byQuestion('Which one is it?')('Which one, nobody knows.')).toBe(false);
  });
});
