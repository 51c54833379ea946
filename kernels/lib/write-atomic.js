'use strict';
/**
 * Files the kernel writes for later kernels (the library bundle, TypeScript's code cache): written
 * so that a reader never sees half of one, like src/util/write-atomic.ts for the library (the
 * kernel is plain CommonJS and cannot load that one before tsx).
 */
const fs = require('fs');
const path = require('path');

/** Write `data` to a temp name beside `file`, then rename it over `file` (folder created if missing). */
function writeFileAtomic(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** True for the errors that mean the checkout is read-only to this user (a class hub's shared course). */
function isReadOnlyError(e) {
  return !!e && ['EACCES', 'EROFS', 'EPERM'].includes(e.code);
}

module.exports = { writeFileAtomic, isReadOnlyError };
