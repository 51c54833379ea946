/**
 * IDX files (the MNIST format, http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
 * `00 00 <dtype> <ndims>`, then `ndims` big-endian uint32 dimension sizes, then the values in
 * row-major order (big-endian for multi-byte types). Files may be gzip-compressed (`.gz`, detected
 * by the gzip magic `1f 8b`, not by the name).
 *
 * Every check names the file: a wrong magic number, a dimension that does not match the file's
 * length, or a truncated/corrupt gzip stream is an error, never a crash or a hang.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { opError } from '../tensor/errors';

/** IDX type byte → element size in bytes and name. */
const IDX_TYPES: Record<number, { bytes: number; name: IdxType }> = {
  0x08: { bytes: 1, name: 'uint8' },
  0x09: { bytes: 1, name: 'int8' },
  0x0b: { bytes: 2, name: 'int16' },
  0x0c: { bytes: 4, name: 'int32' },
  0x0d: { bytes: 4, name: 'float32' },
  0x0e: { bytes: 8, name: 'float64' },
};

/** Element types of the IDX format (MNIST's files): the type byte's meanings. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file: element type, dimensions and the values. */
export interface IdxArray {
  dtype: IdxType;
  shape: number[];
  /** The values; uint8 files are returned as a view on the file's bytes (no copy). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Largest decompressed size accepted (protects against gzip bombs in fuzzed inputs). */
const MAX_BYTES = 1 << 30;

/** Gunzip when the bytes start with the gzip magic; errors name the file. */
export function maybeGunzip(bytes: Uint8Array, name: string, op = 'readIdx'): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return zlib.gunzipSync(bytes, { maxOutputLength: MAX_BYTES });
    } catch (e) {
      throw opError(op, `${name}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}

/**
 * Parse an IDX file already in memory. `name` is used in error messages (usually the path).
 * Returns the dtype, the shape from the header and the values.
 */
export function parseIdx(input: Uint8Array, name = '<buffer>'): IdxArray {
  const bytes = maybeGunzip(input, name, 'parseIdx');
  if (bytes.length < 4) throw opError('parseIdx', `${name}: file is ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw opError('parseIdx', `${name}: bad magic number ${magic} (an IDX file starts with 00 00 <type> <ndims>)`);
  }
  const type = IDX_TYPES[bytes[2]];
  if (!type) throw opError('parseIdx', `${name}: unknown IDX element type 0x${bytes[2].toString(16).padStart(2, '0')} in the magic number`);
  const ndims = bytes[3];
  if (ndims === 0) throw opError('parseIdx', `${name}: magic number says 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw opError('parseIdx', `${name}: truncated header: ${ndims} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    count *= n;
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length < expected) {
    throw opError('parseIdx', `${name}: truncated: header says shape [${shape.join(', ')}] of ${type.name} (${expected} bytes), file has ${bytes.length} bytes`);
  }
  if (bytes.length > expected) {
    throw opError('parseIdx', `${name}: ${bytes.length - expected} unexpected trailing bytes after shape [${shape.join(', ')}] of ${type.name}`);
  }
  const body = bytes.subarray(headerBytes, expected);
  let data: IdxArray['data'];
  switch (type.name) {
    case 'uint8':
      data = body;
      break;
    case 'int8':
      data = new Int8Array(body.buffer, body.byteOffset, body.length);
      break;
    default: {
      // Multi-byte values are big-endian; decode through a DataView (also fixes alignment).
      const bv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (type.name === 'int16') {
        const a = new Int16Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getInt16(2 * i, false);
        data = a;
      } else if (type.name === 'int32') {
        const a = new Int32Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getInt32(4 * i, false);
        data = a;
      } else if (type.name === 'float32') {
        const a = new Float32Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getFloat32(4 * i, false);
        data = a;
      } else {
        const a = new Float64Array(count);
        for (let i = 0; i < count; i++) a[i] = bv.getFloat64(8 * i, false);
        data = a;
      }
    }
  }
  return { dtype: type.name, shape, data };
}

/** Read and parse an IDX file (raw or gzip). Missing files are an error naming the path. */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw opError('readIdx', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseIdx(bytes, path);
}

/** Encode an array as IDX bytes (fixtures, tests, exporting a subset). */
export function encodeIdx(dtype: IdxType, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const code = Number(Object.keys(IDX_TYPES).find((k) => IDX_TYPES[Number(k)].name === dtype));
  const size = IDX_TYPES[code].bytes;
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw opError('encodeIdx', `shape [${shape.join(', ')}] needs ${count} values, got ${values.length}`);
  const out = new Uint8Array(4 + 4 * shape.length + count * size);
  const v = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((n, d) => v.setUint32(4 + 4 * d, n, false));
  const off = 4 + 4 * shape.length;
  for (let i = 0; i < count; i++) {
    const x = values[i];
    if (dtype === 'uint8') v.setUint8(off + i, x);
    else if (dtype === 'int8') v.setInt8(off + i, x);
    else if (dtype === 'int16') v.setInt16(off + 2 * i, x, false);
    else if (dtype === 'int32') v.setInt32(off + 4 * i, x, false);
    else if (dtype === 'float32') v.setFloat32(off + 4 * i, x, false);
    else v.setFloat64(off + 8 * i, x, false);
  }
  return out;
}
