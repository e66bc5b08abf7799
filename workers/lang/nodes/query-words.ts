/**
 * The words of a question, for Match's `queryWords`: cut with `Intl.Segmenter` (so a question in Chinese
 * or Japanese, written without spaces, has words too), lower-cased, once each, without stop words
 * (English, and the commonest function words of Chinese and Japanese): "In which year did the station
 * open?" gives year, station, open. An English possessive or contracted `'s` is left off ("Otterbeck's"
 * gives otterbeck, "what's" the stop word what): the segmenter keeps it on the word, and a document
 * names the thing without it.
 */

const STOP_WORDS = new Set(
  // English: articles, pronouns, auxiliaries, prepositions, conjunctions, question words.
  (
    "a an the this that these those there here it its it's they them their theirs he him his she her hers " +
    'we us our ours you your yours i me my mine one ones some any each every all both either neither ' +
    'is are was were be been being am do does did doing done have has had having will would shall should ' +
    'can could may might must ought ' +
    'of in on at to from by for with without about above below over under into onto upon out off up down ' +
    'through during before after between among against across around along near than as ' +
    'and or but nor so yet if then else because since while whereas though although unless until ' +
    'what which who whom whose when where why how whether ' +
    'not no yes also just only very too more most much many such same other another own ' +
    'tell say said give name find please according text document passage question answer ' +
    // Chinese
    '的 了 是 在 和 与 及 或 吗 呢 吧 啊 什么 哪 哪个 哪些 哪一 哪里 谁 多少 几 怎么 怎样 为什么 这 那 这个 那个 有 没有 ' +
    '一个 请 问 中 里 上 下 对 把 被 给 从 到 就 也 都 还 而 并 ' +
    // Japanese
    'の は が を に で と も か や へ より から まで です ます でした ました しま した ある いる する なる ' +
    'この その あの どの 何 なに いつ どこ 誰 だれ なぜ どう どれ どんな いくつ'
  ).split(/\s+/),
);

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'word' })
    : null;

/** The question's words worth looking for, in order, once each. */
export function queryKeywords(query: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const words = segmenter
    ? [...segmenter.segment(query)].filter((s) => s.isWordLike).map((s) => s.segment)
    : (query.match(/[\p{L}\p{N}]+/gu) ?? []);
  for (const raw of words) {
    const w = raw.toLowerCase().replace(/(?<=\p{Script=Latin})['’]s$/u, '');
    if (STOP_WORDS.has(w) || seen.has(w)) continue;
    // A single Latin letter is noise; a single CJK character or digit may be the word.
    if (w.length === 1 && /[a-z]/.test(w)) continue;
    seen.add(w);
    out.push(w);
  }
  return out;
}
