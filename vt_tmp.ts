import { chromium } from 'playwright-core';
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport: { width: 1100, height: 1400 } });
  await p.goto('file:///tmp/nbt/t.html', { waitUntil: 'load' });
  await p.waitForTimeout(500);
  console.log(await p.$$eval('.tscnn-frame', (fs) => fs.map((f) => (f as HTMLElement).offsetHeight > 0)), await p.isVisible('.tscnn-controls'));
  console.log(await p.$$eval('img', (is) => is.filter((i) => (i as HTMLImageElement).naturalWidth > 0 && (i as HTMLElement).offsetHeight > 0).map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLElement).offsetWidth])));
  await p.screenshot({ path: '/tmp/nbt/t.png' });
  await b.close();
})();
