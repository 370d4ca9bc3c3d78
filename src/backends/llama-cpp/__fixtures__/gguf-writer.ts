import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes GGUF v3 files (the llama.cpp model format): header, key/value metadata, tensor infos and
 * aligned tensor data. Only what test fixtures need: scalar, string and array metadata, F32 tensors.
 *
 * Layout (little-endian): "GGUF", u32 version, u64 tensor count, u64 metadata count, the metadata
 * pairs, the tensor infos (name, dims innermost first, type, offset from the data start), padding to
 * `general.alignment`, then each tensor's data at its aligned offset.
 */

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'u64'; value: bigint }
  | { type: 'string[]'; value: string[] }
  | { type: 'i32[]'; value: number[] }
  | { type: 'f32[]'; value: number[] };

export interface GgufTensor {
  name: string;
  /** Dimensions, innermost first (GGUF's `ne` order): a matrix of `rows` rows of `cols` is `[cols, rows]`. */
  dims: number[];
  data: Float32Array;
}

const VALUE_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;
const GGML_TYPE_F32 = 0;
export const GGUF_ALIGNMENT = 32;

/** Little-endian bytes built up piece by piece. */
class ByteSink {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: bigint | number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const extra = (alignment - (this.length % alignment)) % alignment;
    if (extra) this.push(Buffer.alloc(extra));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(sink: ByteSink, entry: GgufValue): void {
  switch (entry.type) {
    case 'u32': sink.u32(VALUE_TYPE.u32); sink.u32(entry.value); return;
    case 'i32': sink.u32(VALUE_TYPE.i32); sink.i32(entry.value); return;
    case 'f32': sink.u32(VALUE_TYPE.f32); sink.f32(entry.value); return;
    case 'bool': sink.u32(VALUE_TYPE.bool); sink.push(Buffer.from([entry.value ? 1 : 0])); return;
    case 'string': sink.u32(VALUE_TYPE.string); sink.string(entry.value); return;
    case 'u64': sink.u32(VALUE_TYPE.u64); sink.u64(entry.value); return;
    case 'string[]':
      sink.u32(VALUE_TYPE.array); sink.u32(VALUE_TYPE.string); sink.u64(entry.value.length);
      for (const item of entry.value) sink.string(item);
      return;
    case 'i32[]':
      sink.u32(VALUE_TYPE.array); sink.u32(VALUE_TYPE.i32); sink.u64(entry.value.length);
      for (const item of entry.value) sink.i32(item);
      return;
    case 'f32[]':
      sink.u32(VALUE_TYPE.array); sink.u32(VALUE_TYPE.f32); sink.u64(entry.value.length);
      for (const item of entry.value) sink.f32(item);
      return;
  }
}

/**
 * Writes a GGUF v3 file with F32 tensors.
 *
 * @example
 * writeGguf('/tmp/x.gguf', { 'general.architecture': { type: 'string', value: 'llama' } }, [{ name: 'w', dims: [4], data: new Float32Array(4) }]);
 */
export function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): void {
  const head = new ByteSink();
  head.push(Buffer.from('GGUF', 'ascii'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.string(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) throw new Error(`tensor ${tensor.name}: dims ${tensor.dims.join('x')} need ${count} values, got ${tensor.data.length}`);
    head.string(tensor.name);
    head.u32(tensor.dims.length);
    for (const dim of tensor.dims) head.u64(dim);
    head.u32(GGML_TYPE_F32);
    head.u64(offset);
    offset += tensor.data.byteLength;
    offset += (GGUF_ALIGNMENT - (offset % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
  }
  head.pad(GGUF_ALIGNMENT);
  // Tensor data is written straight to the file: a bench model is tens of megabytes.
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head.bytes());
    for (const tensor of tensors) {
      const bytes = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
      writeSync(fd, bytes);
      const extra = (GGUF_ALIGNMENT - (bytes.length % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
      if (extra) writeSync(fd, Buffer.alloc(extra));
    }
  } finally {
    closeSync(fd);
  }
}
