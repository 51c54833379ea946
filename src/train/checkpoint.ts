/**
 * Checkpoints: architecture (`model.config()`) + every parameter and buffer, in one file:
 *
 *   "TSCNNCK1" (8 bytes) | header length H (uint32 LE) | H bytes of JSON header | zero padding to
 *   a multiple of 4 | float32 little-endian tensor data, in header order.
 *
 * The header lists `{ name, kind: 'param' | 'buffer', shape, offset }` per tensor (offset in
 * floats), the data length, its SHA-256, and free-form `meta` (epochs, accuracy, …).
 *
 * Writing is atomic: a temp file in the same directory, fsync, then rename — a crash never
 * leaves a half-written checkpoint under the real name. Loading validates everything (magic,
 * header, lengths, checksum, architecture, names, shapes) before writing a single value into
 * the model, so a corrupted or mismatched file is a clear error and the model is untouched.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { LayerConfig, Module } from '../layers/module';
import { fmtShape, opError } from '../tensor/errors';
import { checkOptionNames } from '../tensor/options';
import { writeFileAtomic } from '../util/write-atomic';
import { buildFromConfig } from './build';

const MAGIC = 'TSCNNCK1';
const FORMAT = 'tscnn-checkpoint';
const VERSION = 1;

/** One tensor in a checkpoint file: name, parameter or buffer, shape, and its offset in the float32 payload. */
export interface CheckpointTensor {
  name: string;
  kind: 'param' | 'buffer';
  shape: number[];
  offset: number;
}

/** The JSON header of a checkpoint file: format and version, the architecture (`config()`), the tensors, payload size and SHA-256, time, metadata. */
export interface CheckpointHeader {
  format: string;
  version: number;
  architecture: LayerConfig;
  tensors: CheckpointTensor[];
  dataBytes: number;
  sha256: string;
  savedAt: string;
  meta: Record<string, unknown>;
}

/** A parsed checkpoint: its header and the named tensors. */
export interface Checkpoint {
  header: CheckpointHeader;
  /** Key `${kind}:${name}` → values. */
  tensors: Map<string, Float32Array>;
}

function stateOf(model: Module): { key: string; name: string; kind: 'param' | 'buffer'; shape: number[]; data: Float32Array }[] {
  return [
    ...model.parameters().map((p) => ({ key: `param:${p.name}`, name: p.name, kind: 'param' as const, shape: [...p.value.shape], data: p.value.data })),
    ...model.buffers().map((b) => ({ key: `buffer:${b.name}`, name: b.name, kind: 'buffer' as const, shape: [...b.value.shape], data: b.value.data })),
  ];
}

/** Write `model` (architecture + weights) to `file` atomically; returns the header written. */
export function saveCheckpoint(model: Module, file: string, meta: Record<string, unknown> = {}): CheckpointHeader {
  const state = stateOf(model);
  let offset = 0;
  const tensors: CheckpointTensor[] = state.map((s) => {
    const t = { name: s.name, kind: s.kind, shape: s.shape, offset };
    offset += s.data.length;
    return t;
  });
  const data = Buffer.alloc(offset * 4);
  state.forEach((s, i) => data.set(new Uint8Array(s.data.buffer, s.data.byteOffset, s.data.byteLength), tensors[i].offset * 4));
  const header: CheckpointHeader = {
    format: FORMAT,
    version: VERSION,
    architecture: model.config(),
    tensors,
    dataBytes: data.length,
    sha256: crypto.createHash('sha256').update(data).digest('hex'),
    savedAt: new Date().toISOString(),
    meta,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = 8 + 4 + json.length;
  const pad = (4 - (pre % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  const bytes = Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, json, Buffer.alloc(pad), data]);
  try {
    writeFileAtomic(file, bytes);
  } catch (e) {
    throw opError('saveCheckpoint', `cannot write ${file}: ${(e as Error).message}`);
  }
  return header;
}

/** Parse and fully validate checkpoint bytes (no model needed). Errors name `name`. */
export function parseCheckpoint(bytes: Uint8Array, name = '<buffer>'): Checkpoint {
  const op = 'loadCheckpoint';
  const fail = (msg: string) => opError(op, `${name}: ${msg}`);
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw fail(`not a tscnn checkpoint (missing the ${MAGIC} magic)`);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = view.readUInt32LE(8);
  if (12 + hlen > bytes.length) throw fail(`truncated: header says ${hlen} bytes of JSON, file has ${bytes.length - 12} after the preamble`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(view.subarray(12, 12 + hlen).toString('utf8'));
  } catch (e) {
    throw fail(`corrupt header JSON (${(e as Error).message})`);
  }
  if (!header || header.format !== FORMAT) throw fail(`header format is ${JSON.stringify(header?.format)}, expected "${FORMAT}"`);
  if (header.version !== VERSION) throw fail(`unsupported checkpoint version ${header.version} (this tscnn reads ${VERSION})`);
  if (!Array.isArray(header.tensors) || !header.architecture || typeof header.dataBytes !== 'number') throw fail('header lacks tensors/architecture/dataBytes');
  const start = 12 + hlen + ((4 - ((12 + hlen) % 4)) % 4);
  const available = bytes.length - start;
  if (available !== header.dataBytes) throw fail(`tensor data is ${available} bytes, header says ${header.dataBytes} (truncated or padded file)`);
  const data = view.subarray(start);
  const digest = crypto.createHash('sha256').update(data).digest('hex');
  if (digest !== header.sha256) throw fail('checksum mismatch: the tensor data is corrupted');
  // Copy into an aligned buffer (the data may start at any byte offset of the file buffer).
  const floats = new Float32Array(header.dataBytes / 4);
  new Uint8Array(floats.buffer).set(data);
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    if (!t || typeof t.name !== 'string' || (t.kind !== 'param' && t.kind !== 'buffer') || !Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw fail(`bad tensor entry ${JSON.stringify(t)?.slice(0, 100)}`);
    }
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(t.offset) || t.offset < 0 || t.offset + size > floats.length) throw fail(`tensor ${t.name} ${fmtShape(t.shape)} at offset ${t.offset} runs past the data`);
    tensors.set(`${t.kind}:${t.name}`, floats.subarray(t.offset, t.offset + size));
  }
  return { header, tensors };
}

/** Read and validate a checkpoint file. */
export function readCheckpoint(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw opError('loadCheckpoint', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCheckpoint(bytes, file);
}

/** First difference between two JSON values, as a path (or null when equal). */
function firstDiff(a: unknown, b: unknown, p = 'architecture'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    return JSON.stringify(a) === JSON.stringify(b) ? null : `${p}: checkpoint has ${JSON.stringify(a)}, model has ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${p}.${k}`);
    if (d) return d;
  }
  return null;
}

/**
 * Load weights from `file` into `model`. With `strict` (default) the architecture must equal
 * `model.config()`; names and shapes must always match. Nothing is written unless all checks
 * pass. Returns the header (with `meta`).
 */
export function loadCheckpoint(model: Module, file: string, opts: { strict?: boolean } = {}): CheckpointHeader {
  checkOptionNames('loadCheckpoint', opts, ['strict']);
  const ck = readCheckpoint(file);
  const op = 'loadCheckpoint';
  if (opts.strict !== false) {
    const d = firstDiff(ck.header.architecture, model.config());
    if (d) throw opError(op, `${file}: architecture mismatch at ${d}`);
  }
  const state = stateOf(model);
  const modelKeys = new Set(state.map((s) => s.key));
  const missing = [...ck.tensors.keys()].filter((k) => !modelKeys.has(k));
  if (missing.length) throw opError(op, `${file}: checkpoint has tensors the model lacks: ${missing.slice(0, 5).join(', ')}`);
  for (const s of state) {
    const src = ck.tensors.get(s.key);
    if (!src) throw opError(op, `${file}: checkpoint lacks ${s.kind} ${s.name} ${fmtShape(s.shape)}`);
    const t = ck.header.tensors.find((e) => `${e.kind}:${e.name}` === s.key)!;
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      throw opError(op, `${file}: ${s.kind} ${s.name} has shape ${fmtShape(t.shape)} in the checkpoint, ${fmtShape(s.shape)} in the model`);
    }
  }
  // Everything checked: now copy.
  for (const s of state) s.data.set(ck.tensors.get(s.key)!);
  return ck.header;
}

/** Rebuild the architecture stored in `file` and load its weights. */
export function restoreModel(file: string): { model: Module; header: CheckpointHeader } {
  const ck = readCheckpoint(file);
  const model = buildFromConfig(ck.header.architecture, { init: false });
  const header = loadCheckpoint(model, file);
  return { model, header };
}
