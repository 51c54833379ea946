import { expect } from 'chai';
import { setLocale } from '../../src/display/locale';
import { modelSummaryTable } from '../../src/viz/table';
import { renderTrainingView, trainingCharts } from '../../src/viz/training-view';
import { convWalkthrough } from '../../src/viz/walk-ops';
import { featureMaps } from '../../src/viz/images';
import { randn, zeros } from '../../src/tensor/tensor';
import { Value } from '../../src/autograd/value';
import { backwardSteps } from '../../src/graph/steps';
import { gradcheck } from '../../src/check/gradcheck';
import { linearSpecs } from '../../src/ops';
import { formatParityTable, type ParityRow } from '../../src/tfjs/parity';
import { receptiveFieldView } from '../../src/viz/receptive';
import { Conv2d } from '../../src/layers/conv';

const STATE = {
  batchLoss: [2.3, 1.9, 1.2, 0.9], batchAccuracy: [0.1, 0.3, 0.6, 0.7], stopReason: 'interrupted', message: '',
  epochs: [{ epoch: 1, loss: 1.6, accuracy: 0.4, valLoss: 1.5, valAccuracy: 0.45, batches: 4, seconds: 2, imagesPerSec: 64 }],
};
const SUMMARY = { inputShape: [1, 1, 28, 28], rows: [{ name: 'c1', type: 'Conv2d', outputShape: [1, 6, 28, 28], params: 156, flops: 117600 }], totalParams: 156 };

describe('display strings follow setLocale', () => {
  afterEach(() => setLocale('en'));

  it('English (the default) reads as before', () => {
    expect(renderTrainingView(STATE)['text/plain']).to.equal('epoch 1: loss 1.6000 acc 40.00% | val loss 1.5000 val acc 45.00% | 2.0 s, 64 img/s\nstopped (interrupted)');
    expect(modelSummaryTable(SUMMARY).text.split('\n')[0]).to.match(/^layer +output shape +parameters +FLOPs$/);
  });

  it("setLocale('zh'): the training view, its curves, the summary table, walkthrough and feature-map labels", () => {
    setLocale('zh');
    const text = renderTrainingView(STATE)['text/plain'];
    expect(text).to.equal('轮次 1: 损失 1.6000 准确率 40.00% | 验证损失 1.5000 验证准确率 45.00% | 2.0 s, 64 张/秒\n已停止 (被中断)');
    const { loss, accuracy } = trainingCharts(STATE);
    expect(loss).to.contain('>损失<').and.contain('>批次<').and.contain('>验证<');
    expect(accuracy).to.contain('>准确率<');
    expect(renderTrainingView(STATE)['text/html']).to.contain('alt="损失曲线"');
    const table = modelSummaryTable(SUMMARY);
    expect(table.text.split('\n')[0]).to.match(/^层 +输出形状 +参数量 +浮点运算数 FLOPs$/);
    expect(table.html).to.contain('<th style="border-bottom:2px solid #000;padding:6px 12px;font-size:18px;text-align:left">输出形状</th>');
    expect(table.text).to.contain('合计');
    const wt = convWalkthrough([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]], { stride: 1 });
    expect(wt.title).to.equal('卷积 conv2d：x 3×3 ⊛ 卷积核 2×2（步长 1×1，填充 0×0，膨胀 1×1）→ 2×2');
    expect(wt.frameSvg(0)).to.contain('第 1 / 4 帧：输出 (0, 0)').and.contain('>卷积核 k<');
    expect(wt.html).to.contain('第 4 / 4 帧');
    expect(featureMaps(zeros([1, 2, 4, 4])).text).to.match(/^特征图：2 个通道/);
  });

  it("setLocale('zh'): backward steps, the gradcheck report, the parity table and the receptive-field caption", async () => {
    const row: ParityRow = { op: 'conv2d', case: 'x=[1,1,3,3] w=[1,1,2,2]', backend: 'cpu', skipped: null, gradSkipped: null, forwardMaxAbs: 0, grads: [], ok: true };
    const report = () => String(gradcheck(linearSpecs[0], [randn([2, 3]), randn([2, 3]), randn([2])]));
    const steps = async () => {
      const x = new Value(-2, 'x'), y = new Value(5, 'y'), z = new Value(-4, 'z');
      return (await backwardSteps(x.add(y).mul(z))).text;
    };
    const caption = () => receptiveFieldView([new Conv2d(1, 1, 3, { init: false })], 0, [1, 1], [1, 1, 5, 5]).text;
    // English as before
    expect(report()).to.match(/^gradcheck linear: ok \(max relError/);
    expect((await steps()).split('\n')[0]).to.match(/^step 1\/5: ∂\w+\/∂\w+ = 1 \(the output's gradient with respect to itself\)$/);
    expect(formatParityTable([row]).split('\n')[0]).to.match(/^op +case +tfjs +fwd err +grad max \|ours − tfjs\| +verdict$/);
    expect(formatParityTable([row]).split('\n')[1]).to.match(/ ok$/);
    expect(caption()).to.contain('sees input rows 1–3, cols 1–3');
    setLocale('zh');
    expect(report()).to.match(/^梯度检验 linear：通过（最大相对误差 .*，容差 0.01）\n  通过 /);
    expect((await steps()).split('\n')[0]).to.match(/^第 1\/5 步: ∂\w+\/∂\w+ = 1（输出对自身的梯度）$/);
    expect(formatParityTable([row]).split('\n')[0]).to.match(/^算子 +用例 +tfjs +前向误差 +梯度 max\|我们的−tfjs\| +结论$/);
    expect(formatParityTable([row]).split('\n')[1]).to.match(/ 一致$/);
    expect(caption()).to.contain('感受野：第 0 层（Conv2d）3×3 中的单元 (1, 1)，看到输入的第 1–3 行、第 1–3 列（3×3）；感受野 3×3');
  });
});
