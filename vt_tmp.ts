import { Sequential, Conv2d, Linear, ReLU, MaxPool2d, Flatten, Concat, Add, Identity } from './src/layers';
import { drawModel } from './src/graph';
import { writeFileSync } from 'fs';
(async () => {
  const net = new Sequential(new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(256, 120), new ReLU(), new Linear(120, 10));
  const t = Date.now();
  const g = await drawModel(net, [1, 1, 28, 28], { title: 'LeNet-5' });
  console.log(Date.now() - t); console.log(g.text);
  writeFileSync('/tmp/m1.png', g.png);
  const inc = new Sequential(new Conv2d(3, 8, 3, { padding: 1 } as never), new Concat([new Conv2d(8, 4, 1), new Sequential(new Conv2d(8, 4, 1), new ReLU(), new Conv2d(4, 6, 3, { padding: 1 } as never))]), new Add([new Identity(), new Conv2d(10, 10, 3, { padding: 1 } as never)]));
  const g2 = await drawModel(inc, [1, 3, 8, 8]);
  console.log(g2.text);
  writeFileSync('/tmp/m2.png', g2.png);
})();
