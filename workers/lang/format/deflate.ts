/**
 * Raw deflate and base64url through the platform only (`CompressionStream`, `atob`/`btoa`: browsers and
 * Node 20), so share links cost no dependency. Inflating stops as soon as the output passes a cap: a
 * small link that expands to gigabytes (a zip bomb) is refused after reading at most `cap` + one chunk.
 */

async function readAll(stream: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function streamOf(bytes: Uint8Array): ReadableStream<BufferSource> {
  // pipeThrough (not a hand-driven writer) so a corrupt input surfaces once, as a rejected read.
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await readAll(
    streamOf(bytes).pipeThrough(new CompressionStream('deflate-raw')),
    Number.MAX_SAFE_INTEGER,
  );
  return out!;
}

export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; error: 'too-large' | 'corrupt' };

export async function inflateRaw(bytes: Uint8Array, cap: number): Promise<InflateResult> {
  try {
    const out = await readAll(streamOf(bytes).pipeThrough(new DecompressionStream('deflate-raw')), cap);
    return out ? { ok: true, bytes: out } : { ok: false, error: 'too-large' };
  } catch {
    return { ok: false, error: 'corrupt' };
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict: only the base64url alphabet, no padding, and no length that base64 cannot produce. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
