/** gradcheck & co. and the tfjs entry points reject misspelt options (checked before tfjs loads). */
import { expect } from 'chai';
import { checkRegistry, gradcheck, gradcheckDirectional, gradcheckLayer } from '../../src/check';
import { Linear } from '../../src/layers/linear';
import { activationSpecs } from '../../src/ops/activations';
import { ones, randn, Rng } from '../../src/tensor';
import { opParity, parityTable, registryParity, tfTrainable } from '../../src/tfjs';

const any = (o: unknown): never => o as never;

async function message(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('check, tfjs: options are checked by name', () => {
  const tanhSpecs = activationSpecs.filter((s) => s.name === 'tanh');
  const spec = tanhSpecs[0];
  const x = () => [randn([2, 3], { rng: new Rng(1) })];

  it("gradcheck rejects { tol } and still checks with { tolerance }", () => {
    expect(() => gradcheck(spec, x(), any({ tol: 1e-3 }))).to.throw("gradcheck: unknown option 'tol' (known: attrs, eps, tolerance, floor, rng, maxElements)");
    expect(gradcheck(spec, x(), { tolerance: 1e-2 }).ok).to.equal(true);
  });

  it('gradcheckLayer, gradcheckDirectional and checkRegistry reject misspelt keys', () => {
    const lin = new Linear(3, 2, { rng: new Rng(0) });
    expect(() => gradcheckLayer(lin, ones([2, 3]), any({ attrs: {} }))).to.throw("gradcheckLayer: unknown option 'attrs' (known: eps, tolerance, floor, rng, maxElements)");
    expect(() => gradcheckDirectional(lin, ones([2, 3]), any({ epsilon: 1e-3 }))).to.throw("gradcheckDirectional: unknown option 'epsilon' (known: eps, tolerance, rng)");
    expect(() => checkRegistry(any({ onlyOps: ['relu'] }))).to.throw("checkRegistry: unknown option 'onlyOps' (known: eps, tolerance, floor, rng, maxElements, specs, seed, only)");
    expect(checkRegistry({ specs: tanhSpecs, seed: 1, tolerance: 1e-2 }).every((r) => r.report.ok)).to.equal(true);
  });

  it('tfTrainable, opParity, registryParity and parityTable reject misspelt keys before loading tfjs', async () => {
    expect(await message(() => tfTrainable(new Linear(3, 2), [1, 3], any({ optimiser: 'sgd' })))).to.equal("tfTrainable: unknown option 'optimiser' (known: optimizer, lr, momentum, handle); did you mean 'optimizer'?");
    expect(await message(() => opParity(spec, spec.cases[0], any({ seeds: 1 })))).to.equal("opParity: unknown option 'seeds' (known: handle, seed); did you mean 'seed'?");
    expect(await message(() => registryParity([spec], any({ handel: null })))).to.equal("registryParity: unknown option 'handel' (known: handle); did you mean 'handle'?");
    expect(await message(() => parityTable([spec], any({ seed: 1 })))).to.equal("parityTable: unknown option 'seed' (known: handle)");
  });
});
