/**
 * TEST HELPER. Random documents nobody shaped for a plan: English prose, Chinese and Japanese without
 * spaces, emoji (some joined into sequences), long numbers, code; separated by LF, CRLF, CR or nothing (a
 * document that is one enormous line), in runs of any length.
 */
import fc from 'fast-check';

const english = fc.constantFrom(
  'The harbour master had chosen a number nobody knew.',
  'Revenue rose 12.5% to $4.2 million in the third quarter.',
  'The special magic number for silver-owl is 4417203.',
  'She walked to the observatory, which first welcomed visitors in 1843.',
);
const cjk = fc.constantFrom(
  '观测站于一八四三年首次向游客开放，吸引了许多天文爱好者。',
  '港務長が選んだ番号は誰も知らなかった。',
  '魔法数字是四四一七二〇三。',
  '천문대는 1843년에 처음 문을 열었다.',
);
const emoji = fc.constantFrom('😀', '👩‍💻', '🇯🇵', '👍🏽', '🎉🎉🎉', '❤️');
const number = fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String);
const code = fc.constantFrom('const x = items.reduce((a, b) => a + b, 0);', '{"id": 17, "tags": ["a", "b"]}');
const piece = fc.oneof(english, cjk, emoji, number, code);
const separator = fc.constantFrom(' ', '\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '');

/** A document of `min`–`max` pieces, each followed by a separator. */
export function randomDocument(min = 1, max = 400): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(piece, separator), { minLength: min, maxLength: max })
    .map((parts) => parts.map(([p, s]) => p + s).join(''));
}
