/**
 * TEST DOUBLE's reader: an OTLP `ExportTraceServiceRequest`, as OTLP/JSON or as protobuf, decoded into
 * one plain shape so tests can check what a collector would store. The protobuf side is a small wire-format
 * reader written here from the message definitions of opentelemetry-proto (trace/v1, common/v1,
 * resource/v1), independent of the serializer under test: bytes that are not a valid request fail here.
 */

export type OtlpValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | OtlpValue[]
  | { [key: string]: OtlpValue };

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer (0 unspecified). */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, OtlpValue>;
  events: { name: string; timeNs: bigint; attributes: Record<string, OtlpValue> }[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
}

export interface ReceivedScopeSpans {
  resource: Record<string, OtlpValue>;
  scope: { name: string; version: string };
  spans: ReceivedSpan[];
}

// ---------------------------------------------------------------------------------------------------------
// OTLP/JSON (proto3 JSON mapping: lowerCamelCase fields, hex ids, 64-bit integers as strings or numbers)

type Json = Record<string, unknown>;

function jsonValue(v: unknown): OtlpValue {
  const any = (v ?? {}) as Json;
  if ('stringValue' in any) return String(any.stringValue);
  if ('boolValue' in any) return Boolean(any.boolValue);
  if ('intValue' in any) return Number(any.intValue);
  if ('doubleValue' in any) return Number(any.doubleValue);
  if ('arrayValue' in any) return (((any.arrayValue as Json)?.values as unknown[]) ?? []).map(jsonValue);
  if ('kvlistValue' in any) return jsonAttributes((any.kvlistValue as Json)?.values);
  if ('bytesValue' in any) return Uint8Array.from(Buffer.from(String(any.bytesValue), 'base64'));
  return null;
}

function jsonAttributes(list: unknown): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const kv of (list as Json[] | undefined) ?? []) out[String(kv.key)] = jsonValue(kv.value);
  return out;
}

/** Throws when the text is not an OTLP/JSON trace request. */
export function decodeOtlpJson(text: string): ReceivedScopeSpans[] {
  const body = JSON.parse(text) as Json;
  if (!Array.isArray(body.resourceSpans)) throw new Error('no resourceSpans array');
  const out: ReceivedScopeSpans[] = [];
  for (const rs of body.resourceSpans as Json[]) {
    const resource = jsonAttributes((rs.resource as Json | undefined)?.attributes);
    for (const ss of (rs.scopeSpans as Json[] | undefined) ?? []) {
      const scope = (ss.scope as Json | undefined) ?? {};
      out.push({
        resource,
        scope: { name: String(scope.name ?? ''), version: String(scope.version ?? '') },
        spans: ((ss.spans as Json[] | undefined) ?? []).map((s) => ({
          traceId: hexId(s.traceId, 32),
          spanId: hexId(s.spanId, 16),
          parentSpanId: s.parentSpanId ? hexId(s.parentSpanId, 16) : '',
          name: String(s.name),
          kind: Number(s.kind ?? 0),
          startNs: BigInt(String(s.startTimeUnixNano)),
          endNs: BigInt(String(s.endTimeUnixNano)),
          attributes: jsonAttributes(s.attributes),
          events: ((s.events as Json[] | undefined) ?? []).map((e) => ({
            name: String(e.name),
            timeNs: BigInt(String(e.timeUnixNano)),
            attributes: jsonAttributes(e.attributes),
          })),
          status: {
            code: Number((s.status as Json | undefined)?.code ?? 0),
            message: String((s.status as Json | undefined)?.message ?? ''),
          },
        })),
      });
    }
  }
  return out;
}

function hexId(v: unknown, length: number): string {
  const s = String(v);
  if (!new RegExp(`^[0-9a-f]{${length}}$`).test(s)) throw new Error(`not a ${length}-digit hex id: ${s}`);
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Protobuf wire format

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('varint runs past the end');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  }

  bytes(): Uint8Array {
    const n = Number(this.varint());
    if (this.pos + n > this.buf.length) throw new Error('length-delimited field runs past the end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.buf.length) throw new Error('fixed64 runs past the end');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('fixed32 runs past the end');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getUint32(0, true);
    this.pos += 4;
    return v;
  }

  /** Each field of the message: its number and a reader of its value by wire type. */
  *fields(): Generator<{ field: number; wire: number }> {
    while (!this.done) {
      const tag = Number(this.varint());
      yield { field: tag >>> 3, wire: tag & 7 };
    }
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unknown wire type ${wire}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function expectWire(wire: number, want: number, what: string): void {
  if (wire !== want) throw new Error(`${what}: wire type ${wire}, expected ${want}`);
}

function pbAnyValue(buf: Uint8Array): OtlpValue {
  const r = new Reader(buf);
  let value: OtlpValue = null;
  for (const { field, wire } of r.fields()) {
    if (field === 1) value = text(r.bytes());
    else if (field === 2) value = r.varint() !== 0n;
    else if (field === 3) value = Number(BigInt.asIntN(64, r.varint()));
    else if (field === 4) {
      expectWire(wire, 1, 'double_value');
      const v = new DataView(buf.buffer, buf.byteOffset + r.pos, 8).getFloat64(0, true);
      r.pos += 8;
      value = v;
    } else if (field === 5) {
      const items: OtlpValue[] = [];
      const ar = new Reader(r.bytes());
      for (const f of ar.fields()) {
        if (f.field === 1) items.push(pbAnyValue(ar.bytes()));
        else ar.skip(f.wire);
      }
      value = items;
    } else if (field === 6) {
      const kv = new Reader(r.bytes());
      const list: Uint8Array[] = [];
      for (const f of kv.fields()) {
        if (f.field === 1) list.push(kv.bytes());
        else kv.skip(f.wire);
      }
      value = pbAttributes(list);
    } else if (field === 7) value = Uint8Array.from(r.bytes());
    else r.skip(wire);
  }
  return value;
}

function pbAttributes(keyValues: Uint8Array[]): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const buf of keyValues) {
    const r = new Reader(buf);
    let key = '';
    let value: OtlpValue = null;
    for (const { field, wire } of r.fields()) {
      if (field === 1) key = text(r.bytes());
      else if (field === 2) value = pbAnyValue(r.bytes());
      else r.skip(wire);
    }
    out[key] = value;
  }
  return out;
}

function pbSpan(buf: Uint8Array): ReceivedSpan {
  const r = new Reader(buf);
  const span: ReceivedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startNs: 0n,
    endNs: 0n,
    attributes: {},
    events: [],
    status: { code: 0, message: '' },
  };
  const attrs: Uint8Array[] = [];
  for (const { field, wire } of r.fields()) {
    switch (field) {
      case 1:
        span.traceId = hex(r.bytes());
        break;
      case 2:
        span.spanId = hex(r.bytes());
        break;
      case 4:
        span.parentSpanId = hex(r.bytes());
        break;
      case 5:
        span.name = text(r.bytes());
        break;
      case 6:
        span.kind = Number(r.varint());
        break;
      case 7:
        expectWire(wire, 1, 'start_time_unix_nano');
        span.startNs = r.fixed64();
        break;
      case 8:
        expectWire(wire, 1, 'end_time_unix_nano');
        span.endNs = r.fixed64();
        break;
      case 9:
        attrs.push(r.bytes());
        break;
      case 11: {
        const er = new Reader(r.bytes());
        const event = { name: '', timeNs: 0n, attributes: {} as Record<string, OtlpValue> };
        const eattrs: Uint8Array[] = [];
        for (const f of er.fields()) {
          if (f.field === 1) event.timeNs = er.fixed64();
          else if (f.field === 2) event.name = text(er.bytes());
          else if (f.field === 3) eattrs.push(er.bytes());
          else er.skip(f.wire);
        }
        event.attributes = pbAttributes(eattrs);
        span.events.push(event);
        break;
      }
      case 15: {
        const sr = new Reader(r.bytes());
        for (const f of sr.fields()) {
          if (f.field === 2) span.status.message = text(sr.bytes());
          else if (f.field === 3) span.status.code = Number(sr.varint());
          else sr.skip(f.wire);
        }
        break;
      }
      case 16:
        expectWire(wire, 5, 'flags');
        r.fixed32();
        break;
      default:
        r.skip(wire);
    }
  }
  span.attributes = pbAttributes(attrs);
  if (span.traceId.length !== 32 || span.spanId.length !== 16) throw new Error('a span without valid ids');
  return span;
}

/** Throws when the bytes are not a protobuf trace request. */
export function decodeOtlpProtobuf(buf: Uint8Array): ReceivedScopeSpans[] {
  const out: ReceivedScopeSpans[] = [];
  const top = new Reader(buf);
  for (const { field, wire } of top.fields()) {
    if (field !== 1) {
      top.skip(wire);
      continue;
    }
    const rs = new Reader(top.bytes());
    let resource: Record<string, OtlpValue> = {};
    const scopes: Uint8Array[] = [];
    for (const f of rs.fields()) {
      if (f.field === 1) {
        const res = new Reader(rs.bytes());
        const attrs: Uint8Array[] = [];
        for (const g of res.fields()) {
          if (g.field === 1) attrs.push(res.bytes());
          else res.skip(g.wire);
        }
        resource = pbAttributes(attrs);
      } else if (f.field === 2) scopes.push(rs.bytes());
      else rs.skip(f.wire);
    }
    for (const s of scopes) {
      const ss = new Reader(s);
      const scope = { name: '', version: '' };
      const spans: ReceivedSpan[] = [];
      for (const f of ss.fields()) {
        if (f.field === 1) {
          const sc = new Reader(ss.bytes());
          for (const g of sc.fields()) {
            if (g.field === 1) scope.name = text(sc.bytes());
            else if (g.field === 2) scope.version = text(sc.bytes());
            else sc.skip(g.wire);
          }
        } else if (f.field === 2) spans.push(pbSpan(ss.bytes()));
        else ss.skip(f.wire);
      }
      out.push({ resource, scope, spans });
    }
  }
  return out;
}
