import { expect } from 'chai';
import { registry } from '../../src/ops/registry';
import { loadTf, type TfHandle } from '../../src/tfjs/backend';
import { TF_COUNTERPARTS } from '../../src/tfjs/counterparts';
import { opParity, parityTable, PARITY_TOLERANCE } from '../../src/tfjs/parity';

/**
 * Every op of the registry against TensorFlow.js, forward and gradients (tf.grads), over the
 * registry's shape table. Cases tfjs cannot express are reported as pending with the reason.
 */
describe('op parity with TensorFlow.js', function () {
  this.timeout(120000);
  let h: TfHandle;
  before(async () => {
    h = await loadTf();
  });

  it('every registry op has a tfjs counterpart', () => {
    const missing = registry.map((s) => s.name).filter((n) => !TF_COUNTERPARTS[n]);
    expect(missing).to.deep.equal([]);
  });

  for (const spec of registry) {
    describe(spec.name, () => {
      for (const c of spec.cases) {
        it(`${spec.name} ${c.name}`, async function () {
          const baseline = h.tf.memory().numTensors;
          const row = await opParity(spec, c, { handle: h });
          // no tfjs tensor outlives a comparison
          expect(h.tf.memory().numTensors, 'tfjs tensors leaked').to.equal(baseline);
          if (row.skipped) this.skip();
          expect(row.error, row.error).to.equal(undefined);
          expect(row.forwardMaxAbs, `forward on ${h.describe()}`).to.be.at.most(PARITY_TOLERANCE.forward * 10);
          for (const g of row.grads) expect(g.maxAbs, `d${g.input} on ${h.describe()}`).to.be.at.most(PARITY_TOLERANCE.grad * g.scale);
          expect(row.ok).to.equal(true);
        });
      }
    });
  }
});

describe('parity table display', function () {
  this.timeout(60000);
  it('shows compared cases, skips with reasons, and no mismatches for conv2d', async () => {
    const conv = registry.filter((s) => s.name === 'conv2d' || s.name === 'dropout');
    const t = await parityTable(conv);
    expect(t.mismatches).to.deep.equal([]);
    expect(t.compared).to.equal(conv[0].cases.length);
    const b = (t as any)[Symbol.for('Jupyter.display')]();
    expect(b['text/html']).to.contain(`${conv[0].cases.length} cases compared, 0 mismatches`);
    expect(b['text/html']).to.contain('not comparable: random masks');
    expect(b['text/plain']).to.match(/^op +case/);
  });
});
