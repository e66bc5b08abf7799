import { describe, expect, it } from 'vitest';
import {
  choiceScore,
  countsScore,
  labelScore,
  numericScore,
  oolongScore,
  pairF1,
  pairsScore,
  qaScore,
  summaryScore,
  tokenF1,
} from './score.ts';

describe('qaScore', () => {
  it('accepts the answer however it is dressed: case, quotes, a full stop, articles, spaces', () => {
    expect(qaScore('4417203', '4417203')).toBe(1);
    expect(qaScore('  4417203.\n', '4417203')).toBe(1);
    expect(qaScore('"4417203"', '4417203')).toBe(1);
    expect(qaScore(4417203, '4417203')).toBe(1);
    expect(qaScore('1843', '1843')).toBe(1);
    expect(qaScore('ilse brandt', 'Ilse Brandt')).toBe(1);
    expect(qaScore('The Ilse Brandt.', 'Ilse Brandt')).toBe(1);
    expect(qaScore('「4417203」', '4417203')).toBe(1);
  });
  it('gives partial credit by token F1, and nothing for a wrong answer', () => {
    expect(qaScore('in 1843', '1843')).toBeCloseTo(2 / 3);
    expect(qaScore('1871', '1843')).toBe(0);
    expect(qaScore('NOT_FOUND', '1843')).toBe(0);
    expect(qaScore(undefined, '1843')).toBe(0);
    expect(tokenF1('银色猫头鹰', '银色猫头')).toBeCloseTo(8 / 9);
  });
  it('expects no answer where the document holds none: only an absent result is right', () => {
    expect(qaScore(undefined, null)).toBe(1);
    expect(qaScore('1843', null)).toBe(0);
    expect(qaScore('NOT_FOUND', null)).toBe(0);
  });
});

describe('choiceScore and labelScore', () => {
  it('reads a multiple-choice letter alone or leading', () => {
    for (const got of ['B', '(B)', 'B.', 'b', 'B) tidy_store', ' **B**'])
      expect(choiceScore(got, 'B')).toBe(1);
    for (const got of ['A', 'Because', 'tidy_store', '', 42]) expect(choiceScore(got, 'B')).toBe(0);
  });
  it('compares labels without case or surrounding punctuation', () => {
    expect(labelScore('Finance.', 'finance')).toBe(1);
    expect(labelScore('sports', 'finance')).toBe(0);
  });
});

describe('summaryScore', () => {
  it('wants the lead sentence first and a short summary', () => {
    const expected = { lead: 'The first sentence.', maxChars: 40 };
    expect(summaryScore('The first sentence. More.', expected)).toBe(1);
    expect(summaryScore('More. The first sentence.', expected)).toBe(0);
    expect(summaryScore(`The first sentence. ${'x'.repeat(40)}`, expected)).toBe(0);
  });
});

describe('numericScore', () => {
  it('is 0.75 to the power of the absolute error', () => {
    expect(numericScore(10, 10)).toBe(1);
    expect(numericScore(12, 10)).toBeCloseTo(0.5625);
    expect(numericScore(7, 10)).toBeCloseTo(0.421875);
    expect(numericScore(' 11 ', 10)).toBeCloseTo(0.75);
    expect(numericScore('There are 11 of them.', 10)).toBeCloseTo(0.75);
    expect(numericScore('1,204', 1204)).toBe(1);
  });
  it('gives 0 for what is not a number', () => {
    expect(numericScore('eleven', 10)).toBe(0);
    expect(numericScore('', 0)).toBe(0);
    expect(numericScore(null, 0)).toBe(0);
    expect(numericScore(Number.NaN, 0)).toBe(0);
    expect(numericScore('between 10 and 12', 10)).toBe(0);
  });
});

describe('countsScore', () => {
  const expected = { location: 10, person: 4, time: 2 };
  it('is 1 for the same tally, whatever the key order or zero entries', () => {
    expect(countsScore({ time: 2, person: 4, location: 10 }, expected)).toBe(1);
    expect(countsScore({ ...expected, number: 0 }, expected)).toBe(1);
  });
  it('averages the numeric score over every category either side names', () => {
    // location off by 1 (0.75), person right (1), time missing (0.75^2), number extra by 1 (0.75).
    const got = { location: 11, person: 4, number: 1 };
    expect(countsScore(got, expected)).toBeCloseTo((0.75 + 1 + 0.5625 + 0.75) / 4);
  });
  it('gives 0 for something that is not a tally', () => {
    expect(countsScore('location: 10', expected)).toBe(0);
    expect(countsScore([10, 4, 2], expected)).toBe(0);
    expect(countsScore(null, expected)).toBe(0);
  });
  it('scores a non-numeric count as wrong for that category only', () => {
    expect(countsScore({ location: 'ten', person: 4, time: 2 }, expected)).toBeCloseTo(2 / 3);
  });
});

describe('oolongScore', () => {
  it('dispatches on the kind of expected answer', () => {
    expect(oolongScore(9, 10)).toBeCloseTo(0.75);
    expect(oolongScore({ a: 1 }, { a: 1 })).toBe(1);
    expect(oolongScore('location', 'location')).toBe(1);
    expect(oolongScore('person', 'location')).toBe(0);
  });
});

describe('pairF1', () => {
  const expected: [string, string][] = [
    ['101', '205'],
    ['101', '333'],
    ['205', '333'],
  ];
  it('is 1 for the same set, in any order and orientation', () => {
    expect(
      pairF1(
        [
          ['333', '205'],
          ['101', '205'],
          ['101', '333'],
        ],
        expected,
      ).f1,
    ).toBe(1);
  });
  it('counts a pair once however often it is listed', () => {
    const r = pairF1(
      [
        ['101', '205'],
        ['205', '101'],
      ],
      expected,
    );
    expect(r.precision).toBe(1);
    expect(r.recall).toBeCloseTo(1 / 3);
    expect(r.f1).toBeCloseTo(0.5);
  });
  it('penalises wrong pairs through precision', () => {
    const r = pairF1(
      [
        ['101', '205'],
        ['101', '999'],
      ],
      expected,
    );
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBeCloseTo(1 / 3);
    expect(r.f1).toBeCloseTo(0.4);
  });
  it('accepts numeric ids and ignores malformed entries', () => {
    expect(pairF1([[101, 205], ['101'], 'x', ['101', '101']], expected).precision).toBe(1);
  });
  it('gives 0 for nothing or junk, and 1 when both sides are empty', () => {
    expect(pairF1([], expected).f1).toBe(0);
    expect(pairF1('NOT FOUND', expected).f1).toBe(0);
    expect(pairF1([], []).f1).toBe(1);
    expect(pairF1([['1', '2']], []).f1).toBe(0);
  });
  it('as the family’s scorer, takes an absent result for an empty set', () => {
    expect(pairsScore(undefined, [])).toBe(1);
    expect(pairsScore(undefined, expected)).toBe(0);
  });
});
