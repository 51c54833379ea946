#!/usr/bin/env node
// Draws the kernel logo (a 3x3 conv kernel over "TS") with canvas; run once, output is committed.
'use strict';
const fs = require('fs');
const path = require('path');
const { createCanvas } = require('canvas');

for (const size of [32, 64]) {
  const c = createCanvas(size, size);
  const g = c.getContext('2d');
  g.fillStyle = '#3178c6';
  g.fillRect(0, 0, size, size);
  // a 3x3 grid in the upper right: the convolution window
  const cell = size / 8;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    g.fillStyle = (i + j) % 2 ? '#ffd43b' : '#ffffff';
    g.fillRect(size - 3.5 * cell + j * cell, 0.5 * cell + i * cell, cell - 1, cell - 1);
  }
  g.fillStyle = '#ffffff';
  g.font = `bold ${Math.round(size * 0.42)}px sans-serif`;
  g.textBaseline = 'alphabetic';
  g.fillText('TS', size * 0.08, size * 0.92);
  const out = path.join(__dirname, '..', 'spec', `logo-${size}x${size}.png`);
  fs.writeFileSync(out + '.tmp', c.toBuffer('image/png'));
  fs.renameSync(out + '.tmp', out);
  console.log('wrote', out);
}
