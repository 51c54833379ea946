import { Tensor } from '../tensor/tensor';

/**
 * A labelled image set held in memory: `x` is `[N, C, H, W]` float32, `y` holds N class indices
 * in `[0, classes.length)`. Every loader in src/data returns this shape of object, and the
 * trainer (src/train) consumes it.
 */
export interface Dataset {
  x: Tensor;
  y: Int32Array;
  /** Human-readable class names, index = label. */
  classes: string[];
  /** Where it came from (shown in reports and errors). */
  name: string;
}

/** The first `limit` examples of a data set (copies, so the original can be dropped). */
export function takeFirst(ds: Dataset, limit: number): Dataset {
  const n = Math.min(limit, ds.y.length);
  const per = ds.x.size / Math.max(ds.y.length, 1);
  return {
    x: new Tensor(ds.x.data.slice(0, n * per), [n, ...ds.x.shape.slice(1)]),
    y: ds.y.slice(0, n),
    classes: ds.classes,
    name: ds.name,
  };
}
