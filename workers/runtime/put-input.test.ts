import { describe, expect, it } from 'vitest';
import { createRunService } from './run-service.ts';

const service = () =>
  createRunService({
    createModel: () => Promise.reject(new Error('no model in this test')),
    cache: () => null,
  });

describe("the worker's putInput normalises text on the way in", () => {
  it('a string: BOM dropped, CRLF and CR made LF', () => {
    expect(service().putInput('\uFEFFa\r\nb\rc').chars).toBe(5);
  });

  it('transferred bytes: UTF-16 decoded, UTF-8 read, anything else refused in words', () => {
    const rs = service();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('é\r\n東京', 'utf16le')]);
    expect(rs.putInput(new Uint8Array(utf16).buffer).chars).toBe(4);
    expect(rs.putInput(new TextEncoder().encode('plain\r\n').buffer as ArrayBuffer).chars).toBe(6);
    expect(() => rs.putInput(new Uint8Array([0x63, 0x61, 0x66, 0xe9]).buffer)).toThrow(
      /The document is not UTF-8 text/,
    );
  });
});
