/**
 * TEST DOUBLE: a tiny random-weight GGUF model, written at test time so the real in-browser inference
 * path (@wllama/wllama, llama.cpp in WASM) runs in the tests with no download (docs/stack.md, "Models
 * without the internet"). It generates deterministic gibberish at temperature 0; it knows nothing.
 *
 * Recipe: llama architecture, 2 layers, 64-dim, a 140-token SentencePiece-style vocabulary with byte
 * tokens `<0x00>`…`<0x7F>` only (bytes ≥ 0x80 would make partial UTF-8 and crash wllama), no duplicate
 * token strings, norm weights 1, the other weights small seeded random F32. About 400 KB. Its end-of-text
 * token has a larger output row than the rest, so most answers stop after a few tokens (as a run needs: an
 * answer cut at max tokens fails its leaf) while some still run to the limit.
 *
 * Run: `npx tsx test/tiny-gguf/make.ts [out.gguf]` (default `test-results/tiny.gguf`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TINY = {
  layers: 2,
  embd: 64,
  ff: 128,
  heads: 4,
  contextLength: 4096,
} as const;

const ALIGNMENT = 32;

// GGUF value types.
const T_UINT32 = 4;
const T_INT32 = 5;
const T_FLOAT32 = 6;
const T_BOOL = 7;
const T_STRING = 8;
const T_ARRAY = 9;
// GGML tensor type.
const GGML_F32 = 0;

const EOS = 2;

// llama.cpp token types.
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

/** `<unk> <s> </s>`, the 128 ASCII byte tokens, then a few common pieces: 140 in all. */
export function tinyVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [UNKNOWN, CONTROL, CONTROL];
  for (let b = 0; b < 0x80; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(BYTE);
  }
  for (const piece of ['▁', 'e', 't', 'a', 'o', 'i', 'n', 's', 'r']) {
    tokens.push(piece);
    types.push(NORMAL);
  }
  const scores = tokens.map((_, i) => (types[i] === NORMAL ? -i / 10 : 0));
  return { tokens, types, scores };
}

const CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}" +
  '{% if add_generation_prompt %}assistant: {% endif %}';

/** Seeded PRNG (mulberry32): the same seed writes the same bytes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tensor {
  name: string;
  /** GGML order: ne[0] is the fastest-varying dimension. */
  dims: number[];
  data: Float32Array;
}

export function makeTinyGguf(seed = 42, eosScale = 3): Uint8Array {
  const rand = random(seed);
  const { tokens, types, scores } = tinyVocabulary();
  const vocab = tokens.length;
  const { embd, ff, layers } = TINY;
  const noise = (n: number, scale = 0.1) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const ones = (n: number) => new Float32Array(n).fill(1);

  const output = noise(embd * vocab, 0.5);
  // `<unk>` and `<s>` never win the argmax. `</s>` gets a larger row than the text tokens, so it wins now and
  // then: answers end on their own after a few tokens, as a real model's do, yet never all at once.
  for (let t = 0; t < vocab; t++) {
    if (t === EOS) output.set(noise(embd, 0.5 * eosScale), t * embd);
    else if (types[t] !== NORMAL && types[t] !== BYTE) output.fill(0, t * embd, (t + 1) * embd);
  }

  const tensors: Tensor[] = [
    { name: 'token_embd.weight', dims: [embd, vocab], data: noise(embd * vocab, 0.5) },
    { name: 'output_norm.weight', dims: [embd], data: ones(embd) },
    { name: 'output.weight', dims: [embd, vocab], data: output },
  ];
  for (let i = 0; i < layers; i++) {
    const p = `blk.${i}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${p}attn_q.weight`, dims: [embd, embd], data: noise(embd * embd) },
      { name: `${p}attn_k.weight`, dims: [embd, embd], data: noise(embd * embd) },
      { name: `${p}attn_v.weight`, dims: [embd, embd], data: noise(embd * embd) },
      { name: `${p}attn_output.weight`, dims: [embd, embd], data: noise(embd * embd) },
      { name: `${p}ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `${p}ffn_gate.weight`, dims: [embd, ff], data: noise(embd * ff) },
      { name: `${p}ffn_up.weight`, dims: [embd, ff], data: noise(embd * ff) },
      { name: `${p}ffn_down.weight`, dims: [ff, embd], data: noise(ff * embd) },
    );
  }

  const w = new Writer();
  const kv: Array<[string, (w: Writer) => void]> = [
    ['general.architecture', (w) => w.str('llama')],
    ['general.name', (w) => w.str('fixpoint tiny random test double')],
    ['general.alignment', (w) => w.u32v(ALIGNMENT)],
    ['llama.context_length', (w) => w.u32v(TINY.contextLength)],
    ['llama.embedding_length', (w) => w.u32v(embd)],
    ['llama.block_count', (w) => w.u32v(layers)],
    ['llama.feed_forward_length', (w) => w.u32v(ff)],
    ['llama.attention.head_count', (w) => w.u32v(TINY.heads)],
    ['llama.attention.head_count_kv', (w) => w.u32v(TINY.heads)],
    ['llama.rope.dimension_count', (w) => w.u32v(embd / TINY.heads)],
    ['llama.attention.layer_norm_rms_epsilon', (w) => w.f32v(1e-5)],
    ['llama.vocab_size', (w) => w.u32v(vocab)],
    ['tokenizer.ggml.model', (w) => w.str('llama')],
    ['tokenizer.ggml.tokens', (w) => w.arr(T_STRING, tokens, (s) => w.string(s))],
    ['tokenizer.ggml.scores', (w) => w.arr(T_FLOAT32, scores, (x) => w.f32(x))],
    ['tokenizer.ggml.token_type', (w) => w.arr(T_INT32, types, (x) => w.i32(x))],
    ['tokenizer.ggml.unknown_token_id', (w) => w.u32v(0)],
    ['tokenizer.ggml.bos_token_id', (w) => w.u32v(1)],
    ['tokenizer.ggml.eos_token_id', (w) => w.u32v(2)],
    ['tokenizer.ggml.add_bos_token', (w) => w.boolv(true)],
    ['tokenizer.ggml.add_eos_token', (w) => w.boolv(false)],
    ['tokenizer.chat_template', (w) => w.str(CHAT_TEMPLATE)],
  ];

  w.bytes(new TextEncoder().encode('GGUF'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, write] of kv) {
    w.string(key);
    write(w);
  }
  let offset = 0;
  for (const t of tensors) {
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    offset += align(t.data.byteLength);
  }
  w.pad(ALIGNMENT);
  for (const t of tensors) {
    w.bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad(ALIGNMENT);
  }
  return w.result();
}

function align(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private at = 0;

  private room(n: number) {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  bytes(b: Uint8Array) {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
  u32(x: number) {
    this.room(4);
    this.view.setUint32(this.at, x, true);
    this.at += 4;
  }
  i32(x: number) {
    this.room(4);
    this.view.setInt32(this.at, x, true);
    this.at += 4;
  }
  f32(x: number) {
    this.room(4);
    this.view.setFloat32(this.at, x, true);
    this.at += 4;
  }
  u64(x: number) {
    this.room(8);
    this.view.setBigUint64(this.at, BigInt(x), true);
    this.at += 8;
  }
  string(s: string) {
    const b = new TextEncoder().encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  // Typed values: the type tag, then the value.
  str(s: string) {
    this.u32(T_STRING);
    this.string(s);
  }
  u32v(x: number) {
    this.u32(T_UINT32);
    this.u32(x);
  }
  f32v(x: number) {
    this.u32(T_FLOAT32);
    this.f32(x);
  }
  boolv(x: boolean) {
    this.u32(T_BOOL);
    this.bytes(Uint8Array.of(x ? 1 : 0));
  }
  arr<T>(type: number, items: readonly T[], write: (item: T) => void) {
    this.u32(T_ARRAY);
    this.u32(type);
    this.u64(items.length);
    for (const item of items) write(item);
  }
  pad(alignment: number) {
    const n = (alignment - (this.at % alignment)) % alignment;
    this.bytes(new Uint8Array(n));
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

/** Writes the model to `path` (directories created) and returns the path. */
export function writeTinyGguf(path: string, seed = 42): string {
  const out = resolve(path);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, makeTinyGguf(seed));
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = writeTinyGguf(process.argv[2] ?? 'test-results/tiny.gguf');
  console.log(out);
}
