'use strict';
/**
 * Whether other users (the students, whose servers and kernels run as themselves in class mode)
 * can reach a folder: every folder above it must be searchable by others (o+x), the folder itself
 * readable and searchable (o+rx).
 */
const fs = require('fs');
const path = require('path');

/** The first of `dir` and its parents that other users cannot enter, or '' when they all can. */
function unreadableAncestor(dir) {
  for (let d = path.resolve(dir), first = true; ; first = false) {
    const mode = fs.statSync(d).mode;
    if (!(mode & 0o001) || (first && !(mode & 0o004))) return d;
    const up = path.dirname(d);
    if (up === d) return '';
    d = up;
  }
}

module.exports = { unreadableAncestor };
