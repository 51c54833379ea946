import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { unreadableAncestor } = require('../../scripts/hub/access.js');

describe('hub: can the students reach the checkout?', () => {
  it('names the first folder other users cannot enter, or none', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'tscnn-access-')); // mkdtemp: 0700
    const inner = path.join(top, 'course');
    fs.mkdirSync(inner, { mode: 0o755 });
    fs.chmodSync(inner, 0o755);
    try {
      expect(unreadableAncestor(inner)).to.equal(top);
      fs.chmodSync(top, 0o711); // searchable, not listable: enough above the checkout
      expect(unreadableAncestor(inner)).to.equal('');
      fs.chmodSync(inner, 0o711); // the checkout itself must be readable too
      expect(unreadableAncestor(inner)).to.equal(inner);
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });
});
