'use strict';
/**
 * The Jupyter wire protocol (messaging spec 5.3) over zeromq frames:
 *   [identities…, '<IDS|MSG>', hmac, header, parent_header, metadata, content, buffers…]
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
const crypto = require('crypto');

const DELIM = Buffer.from('<IDS|MSG>');
const PROTOCOL_VERSION = '5.3';

/** HMAC-SHA256 over the four JSON frames; '' when the connection file has no key. */
function sign(key, frames) {
  if (!key) return '';
  const h = crypto.createHmac('sha256', key);
  for (const f of frames) h.update(f);
  return h.digest('hex');
}

/** Parse raw frames; throws on a missing delimiter or a bad signature. */
function parse(key, raw) {
  const d = raw.findIndex((b) => b.equals(DELIM));
  if (d < 0) throw new Error('wire: message without <IDS|MSG> delimiter');
  const frames = raw.slice(d + 2, d + 6).map((b) => b.toString('utf8'));
  const want = sign(key, frames);
  if (key && raw[d + 1].toString() !== want) throw new Error('wire: bad HMAC signature');
  return {
    identities: raw.slice(0, d),
    header: JSON.parse(frames[0]),
    parent_header: JSON.parse(frames[1]),
    metadata: JSON.parse(frames[2]),
    content: JSON.parse(frames[3]),
    buffers: raw.slice(d + 6),
  };
}

/**
 * Frames of a new message of `msgType` answering (or caused by) `parent`. `buffers` (Buffers)
 * follow the four signed frames, unsigned, as jupyter_client's Session does.
 */
function encode(key, msgType, content, parent, identities, session, metadata = {}, buffers = []) {
  const header = {
    msg_id: crypto.randomBytes(16).toString('hex'),
    username: (parent && parent.header.username) || 'kernel',
    session,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
  const frames = [JSON.stringify(header), JSON.stringify(parent ? parent.header : {}), JSON.stringify(metadata || {}), JSON.stringify(content)];
  return [...(identities || []), DELIM, sign(key, frames), ...frames, ...(buffers || [])];
}

module.exports = { parse, encode, PROTOCOL_VERSION };
