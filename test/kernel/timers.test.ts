import { expect } from 'chai';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { serializeTimers } = require('../../kernels/lib/compiler.js');

/** tslab 1.0.22's fake timers (node_modules/tslab/dist/converter.js), reproduced exactly. */
function tslabSys() {
  let rebuildTimer: { callback: () => void } | null = null;
  const sys = {
    setTimeout(callback: () => void, _ms?: number) {
      if (rebuildTimer) throw new Error('Unexpected pending rebuildTimer');
      rebuildTimer = { callback: () => { callback(); rebuildTimer = null; } };
      return rebuildTimer;
    },
    clearTimeout(id: unknown) {
      if (rebuildTimer === id) { rebuildTimer = null; return; }
      throw new Error('clearing unexpected tiemr');
    },
    slot: () => rebuildTimer,
  };
  return sys;
}

describe('kernel/compiler: tslab\'s one-slot timers', () => {
  it('stock tslab breaks for good after a rebuild callback throws (the failure this guards against)', () => {
    const sys = tslabSys();
    const t = sys.setTimeout(() => { throw new Error('rebuild failed'); });
    expect(() => t.callback()).to.throw('rebuild failed');
    expect(() => sys.setTimeout(() => {})).to.throw('Unexpected pending rebuildTimer');
  });

  it('after a callback threw, the next timer is set and runs', () => {
    const sys = tslabSys();
    serializeTimers(sys);
    const t = sys.setTimeout(() => { throw new Error('rebuild failed'); }, 0);
    expect(() => t.callback()).to.throw('rebuild failed');
    let ran = 0;
    const t2 = sys.setTimeout(() => { ran++; }, 0);
    t2.callback();
    expect(ran).to.equal(1);
    expect(sys.slot()).to.equal(null);
  });

  it('a rebuild that schedules another one while it runs does not throw; both run', () => {
    const sys = tslabSys();
    serializeTimers(sys);
    const order: string[] = [];
    const outer = sys.setTimeout(() => {
      order.push('outer');
      sys.setTimeout(() => order.push('inner'), 0);
    }, 0);
    outer.callback();
    // the inner one runs when the next timer is set (first the pending one, synchronously)
    const last = sys.setTimeout(() => order.push('last'), 0);
    last.callback();
    expect(order).to.deep.equal(['outer', 'inner', 'last']);
  });

  it('clearTimeout of the pending timer still works', () => {
    const sys = tslabSys();
    serializeTimers(sys);
    let ran = false;
    const t = sys.setTimeout(() => { ran = true; }, 0);
    sys.clearTimeout(t);
    sys.setTimeout(() => {}, 0);
    expect(ran).to.equal(false);
  });
});
