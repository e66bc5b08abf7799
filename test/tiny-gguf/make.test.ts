import { describe, expect, it } from 'vitest';
import { makeTinyGguf, TINY, tinyVocabulary } from './make.ts';

/** Just enough of a GGUF reader to check the writer: header, metadata keys, tensor table, alignment. */
function readGguf(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => {
    const v = view.getUint32(at, true);
    at += 4;
    return v;
  };
  const u64 = () => {
    const v = Number(view.getBigUint64(at, true));
    at += 8;
    return v;
  };
  const str = () => {
    const n = u64();
    const s = new TextDecoder().decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const sizes: Record<number, number> = {
    0: 1,
    1: 1,
    2: 2,
    3: 2,
    4: 4,
    5: 4,
    6: 4,
    7: 1,
    10: 8,
    11: 8,
    12: 8,
  };
  const value = (type: number): unknown => {
    if (type === 8) return str();
    if (type === 9) {
      const inner = u32();
      const n = u64();
      return Array.from({ length: n }, () => value(inner));
    }
    const v =
      type === 4 ? view.getUint32(at, true) : type === 6 ? view.getFloat32(at, true) : view.getUint8(at);
    at += sizes[type] ?? 0;
    return v;
  };
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const kv = new Map<string, unknown>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    kv.set(key, value(u32()));
  }
  const tensors: Array<{ name: string; dims: number[]; type: number; offset: number }> = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const dims = Array.from({ length: u32() }, () => u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const dataStart = Math.ceil(at / 32) * 32;
  return { magic, version, kv, tensors, dataStart };
}

describe('makeTinyGguf (test double)', () => {
  const bytes = makeTinyGguf();
  const gguf = readGguf(bytes);

  it('writes a GGUF v3 llama model of the recipe size', () => {
    expect(gguf.magic).toBe('GGUF');
    expect(gguf.version).toBe(3);
    expect(gguf.kv.get('general.architecture')).toBe('llama');
    expect(gguf.kv.get('llama.block_count')).toBe(TINY.layers);
    expect(gguf.kv.get('llama.embedding_length')).toBe(TINY.embd);
    expect(bytes.length).toBeGreaterThan(350_000);
    expect(bytes.length).toBeLessThan(450_000);
  });

  it('has ~140 unique tokens with ASCII byte tokens only, newline included', () => {
    const tokens = gguf.kv.get('tokenizer.ggml.tokens') as string[];
    expect(tokens).toEqual(tinyVocabulary().tokens);
    expect(tokens).toHaveLength(140);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens).toContain('<0x0A>');
    expect(
      tokens
        .filter((t) => /^<0x[0-9A-F]{2}>$/.test(t))
        .every((t) => Number.parseInt(t.slice(3, 5), 16) < 0x80),
    ).toBe(true);
  });

  it('lays out every F32 tensor aligned, inside the file, with norms at 1', () => {
    expect(gguf.tensors).toHaveLength(3 + 9 * TINY.layers);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    for (const t of gguf.tensors) {
      expect(t.type).toBe(0);
      expect(t.offset % 32).toBe(0);
      const size = t.dims.reduce((a, b) => a * b, 1) * 4;
      expect(gguf.dataStart + t.offset + size).toBeLessThanOrEqual(bytes.length);
      if (t.name.endsWith('norm.weight')) expect(view.getFloat32(gguf.dataStart + t.offset, true)).toBe(1);
    }
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect(same(makeTinyGguf(42), bytes)).toBe(true);
    expect(same(makeTinyGguf(7), bytes)).toBe(false);
  });
});
