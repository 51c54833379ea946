/**
 * Every viz, graph and display function that takes options rejects a misspelt key (the notebook
 * kernel does not type-check cells: `featureMaps(y, { col: 4 })` would lay out 8 columns).
 */
import { expect } from 'chai';
import { Value } from '../../src/autograd';
import { display } from '../../src/display/display';
import { svgToPng } from '../../src/display/svg';
import { backwardSteps, drawGraph, drawModel, modelGraphDot, valueGraphDot } from '../../src/graph';
import { Conv2d } from '../../src/layers/conv';
import { lenet5 } from '../../src/models';
import { ones, tensor } from '../../src/tensor';
import {
  TrainingView, barChart, batchGrid, confusionMatrix, convWalkthrough, featureMaps, filters, histograms, imageOf, lineChart,
  poolWalkthrough, receptiveFieldView, reluWalkthrough, renderTrainingView, tensorTable,
} from '../../src/viz';
import { convExplorer, featureMapExplorer } from '../../src/viz/explorers';
import { lineChartSvg } from '../../src/viz/line-svg';
import { xoNet } from '../../src/models/xonet';

const any = (o: unknown): never => o as never;
const CHART = 'title, xlabel, ylabel, width, height';

async function message(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

// [op, call with the given options, a typo'd options object, the bad key, the known keys, the suggestion]
const cases: [string, (o: never) => unknown, object, string, string, string?][] = [
  ['imageOf', (o) => imageOf(ones([1, 1, 2, 2]), o), { scal: 4 }, 'scal', 'scale, vmin, vmax, title', 'scale'],
  ['featureMaps', (o) => featureMaps(ones([1, 2, 2, 2]), o), { col: 4 }, 'col', 'cols, scale, colormap, perChannel, labels, maxChannels, title', 'cols'],
  ['filters', (o) => filters(ones([2, 1, 3, 3]), o), { maxout: 1 }, 'maxout', 'scale, maxOut, perInput, title', 'maxOut'],
  ['batchGrid', (o) => batchGrid(ones([2, 1, 2, 2]), o), { label: [0, 1] }, 'label', 'labels, predictions, classNames, cols, scale, maxImages, vmin, vmax, title', 'labels'],
  ['lineChart', (o) => lineChart({ loss: [1, 0.5] }, o), { xLabel: 'step' }, 'xLabel', CHART, 'xlabel'],
  ['confusionMatrix', (o) => confusionMatrix([[1, 0], [0, 1]], undefined, o), { normalise: true }, 'normalise', `${CHART}, normalize`, 'normalize'],
  ['barChart', (o) => barChart([{ case: 'a', impl: 'js', metric: 'time', value: 1, unit: 'ms' }], o), { baseline: 'js', modes: 'ratio' }, 'modes', `${CHART}, baseline, metric, mode`, 'mode'],
  ['histograms', (o) => histograms({ w: [1, 2, 3] }, o), { bin: 5 }, 'bin', `${CHART}, bins, cols`, 'bins'],
  ['lineChartSvg', (o) => lineChartSvg([{ name: 'loss', y: [1, 0.5] }] as never, o), { legnd: 'below' }, 'legnd', 'width, height, title, xLabel, fontSize, legend', 'legend'],
  ['tensorTable', (o) => tensorTable([[1, 2], [3, 4]], o), { precison: 2 }, 'precison', 'highlight, precision, index, title', 'precision'],
  ['convWalkthrough', (o) => convWalkthrough([[1, 2], [3, 4]], [[1]], o), { strides: 1 }, 'strides', 'stride, padding, dilation, bias, precision, maxFrames', 'stride'],
  ['poolWalkthrough', (o) => poolWalkthrough([[1, 2], [3, 4]], o), { kernelSize: 2, mod: 'avg' }, 'mod', 'kernelSize, stride, padding, dilation, ceilMode, mode, countIncludePad, precision, maxFrames', 'mode'],
  ['reluWalkthrough', (o) => reluWalkthrough([[1, -2]], o), { frames: 2 }, 'frames', 'precision, maxFrames'],
  ['receptiveFieldView', (o) => receptiveFieldView([new Conv2d(1, 1, 3)], 0, [0, 0], [1, 1, 5, 5], o), { cells: 20 }, 'cells', 'image, cell', 'cell'],
  ['renderTrainingView', (o) => renderTrainingView({ batchLoss: [], epochs: [] } as never, o), { png: false, dne: true }, 'dne', 'current, done, text, controls, png', 'done'],
  ['TrainingView', (o) => new TrainingView(o), { throttle: 10 }, 'throttle', 'throttleMs, display, controls, now', 'throttleMs'],
  ['drawModel', (o) => modelGraphDot(lenet5({ init: false }), [1, 1, 28, 28], o), { showParam: false }, 'showParam', 'rankdir, showGrad, showParams, title, pngScale', 'showParams'],
  ['drawModel', (o) => drawModel(lenet5({ init: false }), [1, 1, 28, 28], o), { rankDir: 'LR' }, 'rankDir', 'rankdir, showGrad, showParams, title, pngScale', 'rankdir'],
  ['drawGraph', (o) => valueGraphDot(new Value(2), o), { showGrads: true }, 'showGrads', 'rankdir, showGrad, title, pngScale', 'showGrad'],
  ['drawGraph', (o) => drawGraph(new Value(2), o), { scale: 2 }, 'scale', 'rankdir, showGrad, title, pngScale'],
  ['backwardSteps', (o) => backwardSteps(new Value(2).mul(3), o), { tite: 'x' }, 'tite', 'rankdir, showGrad, title, pngScale', 'title'],
  ['convExplorer', (o) => convExplorer(o), { presets: 'edge' }, 'presets', 'input, preset', 'preset'],
  ['featureMapExplorer', (o) => featureMapExplorer(xoNet(), ones([1, 1, 9, 9]), o), { class: ['X', 'O'] }, 'class', 'classes, labels', 'classes'],
  ['display', (o) => display('x', o), { displayId: 'a' }, 'displayId', 'id'],
  ['svgToPng', (o) => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', o), { backgroundColor: '#fff' }, 'backgroundColor', 'scale, background'],
];

describe('viz, graph, display: options are checked by name', () => {
  for (const [op, run, typo, bad, known, guess] of cases) {
    it(`${op}: rejects '${bad}'`, async () => {
      const hint = guess ? `; did you mean '${guess}'?` : '';
      expect(await message(() => run(any(typo)))).to.equal(`${op}: unknown option '${bad}' (known: ${known})${hint}`);
    });
  }

  it('the right options still draw (imageOf, featureMaps, lineChart, tensorTable, poolWalkthrough, modelGraphDot)', () => {
    expect(imageOf(ones([1, 1, 2, 2]), { scale: 4, title: 't' })).to.be.an('object');
    expect(featureMaps(ones([1, 2, 2, 2]), { cols: 2 })).to.be.an('object');
    expect(lineChart({ loss: [1, 0.5] }, { xlabel: 'step' })).to.be.an('object');
    expect(tensorTable(tensor([[1, 2], [3, 4]]), { precision: 1 })).to.be.an('object');
    expect(poolWalkthrough([[1, 2], [3, 4]], { kernelSize: 2, mode: 'avg' })).to.be.an('object');
    expect(modelGraphDot(lenet5({ init: false }), [1, 1, 28, 28], { rankdir: 'LR', showParams: false }).dot).to.contain('digraph');
  });

  it('confusionMatrix(m, { normalize }) says the options go third', () => {
    expect(() => confusionMatrix([[1, 0], [0, 1]], any({ normalize: true }))).to.throw('confusionMatrix: labels must be an array of 2 class names or undefined, got object; options go third');
  });
});
