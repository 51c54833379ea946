/**
 * Ours and PyTorch measured alternately: round 1 ours, round 1 PyTorch, round 2 ours, … so that
 * both sides see the same machine state. This VM's speed drifts by up to 1.5× over minutes
 * (docs/measured.md, "Speed"); measured a minute apart, as the conv and torch suites used to,
 * a ratio carried the drift.
 *
 * Each side reports its best round (the shortest time per call). Why the best and not the median:
 * what disturbs a window here (another tenant, the drift, a collection) only ever adds time, so
 * the fastest window is the closest to the code's own cost; and since the windows alternate, each
 * side had a window in every state the machine went through, so neither side's best came from a
 * faster machine. With 2–3 rounds a median would be one arbitrary window of each side, and
 * it would take one slow window to move it. The same rule as docs/measured.md's interleaved
 * comparisons of two code versions ("best of several").
 */

/** Rounds of (ours, PyTorch): enough for each side to see a good state, few enough for --quick. */
export function interleaveRounds(quick: boolean): number {
  return quick ? 2 : 3;
}

export interface Alternated<T> {
  /** Ours, one entry per round, in order. */
  ours: T[];
  /** PyTorch's seconds per call, one per round; empty without a peer. */
  theirs: number[];
}

/**
 * `rounds` times: one window of `ours` (synchronous: tscnn's timing blocks the event loop, and the
 * peer sits blocked on its stdin meanwhile), then one of `theirs` when given (the peer measures
 * while Node waits, its worker threads asleep).
 */
export async function alternate<T>(rounds: number, ours: () => T, theirs?: () => Promise<number>): Promise<Alternated<T>> {
  const out: Alternated<T> = { ours: [], theirs: [] };
  for (let r = 0; r < rounds; r++) {
    out.ours.push(ours());
    if (theirs) out.theirs.push(await theirs());
  }
  return out;
}

/** The index of the best round: the shortest time per call. */
export function bestRound(times: number[]): number {
  let best = 0;
  for (let i = 1; i < times.length; i++) if (times[i] < times[best]) best = i;
  return best;
}

/** "1.12 1.20 1.15" — every round's value, for the progress log. */
export function fmtRounds(values: number[], digits = 2): string {
  return values.map((v) => v.toFixed(digits)).join(' ');
}
