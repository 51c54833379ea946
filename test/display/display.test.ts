import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { resolve } from 'path';
import { figureBundle } from '../../src/display/bundle';
import { captureDisplays } from '../../src/display/capture';
import { display, mime } from '../../src/display/display';
import { pngSize, svgToPng } from '../../src/display/svg';

const ROOT = resolve(__dirname, '../..');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#f00"/></svg>';

describe('display: one bundle function, one rasteriser, one handle', () => {
  it('figureBundle: text/html, image/png, extra types, text/plain; an SVG becomes an <img> data URI', () => {
    const png = svgToPng(SVG);
    expect(pngSize(png)).to.deep.equal({ width: 40, height: 20 });
    expect(pngSize(svgToPng(SVG, { scale: 2 }))).to.deep.equal({ width: 80, height: 40 });
    const b = figureBundle({ svg: SVG, png, text: 'a red box\nsecond line', caption: 'under it', extra: { 'application/json': { a: 1 } } });
    expect(Object.keys(b)).to.deep.equal(['text/html', 'image/png', 'application/json', 'text/plain']);
    expect(b['text/html']).to.equal(`<div><img alt="a red box" style="max-width:100%;height:auto" src="data:image/svg+xml;base64,${Buffer.from(SVG).toString('base64')}"><div style="font-size:14px;color:#555">under it</div></div>`);
    expect(b['image/png']).to.equal(png.toString('base64'));
    expect(figureBundle({ text: 'only text' })).to.deep.equal({ 'text/plain': 'only text' });
    expect(() => svgToPng('<svg')).to.throw(/^svgToPng: canvas could not decode the SVG/);
    expect(() => svgToPng(SVG, { scale: 0 })).to.throw(/^svgToPng: scale must be > 0, got 0/);
  });

  it('display(): one display_data, then update_display_data under the same id', () => {
    const { outputs } = captureDisplays(() => {
      const h = display(mime({ 'text/plain': 'one' }));
      h.update(mime({ 'text/plain': 'two' }));
      return h;
    });
    expect(outputs.map((o) => o.type)).to.deep.equal(['display_data', 'update_display_data']);
    expect((outputs[0] as { id: string }).id).to.equal((outputs[1] as { id: string }).id);
    expect((outputs[1] as { data: object }).data).to.deep.equal({ 'text/plain': 'two' });
  });

  it("import 'tscnn' loads neither node-canvas nor plotly; the first picture loads canvas", function () {
    this.timeout(60_000);
    const script =
      "require('./src/index.ts');const heavy=()=>Object.keys(require.cache).filter((f)=>/canvas|plotly/.test(f)).length;" +
      "const before=heavy();require('./src/index.ts').featureMaps(require('./src/index.ts').zeros([1,1,4,4]));console.log(JSON.stringify([before,heavy()>0]))";
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).to.deep.equal([0, true]);
  });
});
