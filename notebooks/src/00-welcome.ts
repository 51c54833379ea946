// %% [markdown] slide
// # Welcome
//
// This notebook runs on the **TypeScript (tscnn)** kernel. Everything comes from `'tscnn'`, this checkout's `src/index.ts`: edit a file in `src/` and re-run the import cell to pick it up.
//
// Every lesson exists in English (`notebooks/en/`) and in 简体中文 (`notebooks/zh/`). The first cell of each sets the language of figure titles, axis labels and tables.
// ::: zh
// # 欢迎
//
// 本笔记本使用 **TypeScript (tscnn)** 内核运行。所有功能都从 `'tscnn'` 导入，也就是本仓库的 `src/index.ts`：修改 `src/` 里的文件后，重新运行导入单元格即可生效。
//
// 每一课都有简体中文版（`notebooks/zh/`）和英文版（`notebooks/en/`）。每个笔记本的第一个单元格设置图表标题、坐标轴和表格所用的语言。

// %%
import { tensor, seed, randn, show, display, isInKernel, setLocale, getLocale, tr, check, assertEqual } from 'tscnn';
setLocale('en');
check(isInKernel(), 'running inside the tscnn kernel');
tr({ en: `display language: ${getLocale()}`, zh: `显示语言：${getLocale()}` })

// %% [markdown] slide
// ## A tensor
//
// A tensor is a shape plus a flat `Float32Array` in row-major (NCHW) order. The last value of a cell is shown with every MIME type it offers.
// ::: zh
// ## 张量
//
// 张量（tensor）由一个形状和一个按行优先（NCHW）顺序存放的 `Float32Array` 组成。单元格的最后一个值会以它提供的所有 MIME 类型显示出来。

// %%
const x = tensor([[1, 2, 3], [4, 5, 6]]);
assertEqual('shape', x.shape, [2, 3]);
assertEqual('row-major data', x.data, [1, 2, 3, 4, 5, 6]);
console.log(x.toString());
x.shape

// %% fragment
x

// %% [markdown] slide
// ## Seeded randomness
//
// `seed(n)` makes every random initialisation repeatable: the same seed, the same numbers.
// ::: zh
// ## 可复现的随机数
//
// `seed(n)` 让每一次随机初始化都可以重复：同一个种子，得到同样的数。

// %%
seed(0);
const noise = randn([1, 1, 8, 8]);
seed(0);
assertEqual('same seed, same numbers', randn([1, 1, 8, 8]).data, noise.data);
show(noise);
noise.shape

// %% [markdown] slide
// ## Live output
//
// A display handle updates one output in place, as training progress does.
// ::: zh
// ## 实时输出
//
// 显示句柄（display handle）可以原地更新同一个输出，训练进度就是这样显示的。

// %%
const progress = display(tr({ en: 'step 0 / 3', zh: '第 0 / 3 步' }));
for (let step = 1; step <= 3; step++) {
  await new Promise((r) => setTimeout(r, 50));
  progress.update(tr({ en: `step ${step} / 3`, zh: `第 ${step} / 3 步` }));
}

// %% fragment
show({ [Symbol.for('Jupyter.display')]: () => ({
  'text/html': tr({ en: '<b>tscnn</b> is ready', zh: '<b>tscnn</b> 已就绪' }),
  'text/plain': tr({ en: 'tscnn is ready', zh: 'tscnn 已就绪' }),
}) });
