/**
 * tscnn: every CNN op hand-written in TypeScript (forward and backward), for teaching and research
 * in Jupyter. This is the curated public API, what a notebook uses; every engine's internals
 * (naive/fast/wasm variants, kernels, workspace and thread controls, layout helpers) are on
 * sub-paths: `tscnn/ops`, `tscnn/ops/wasm`, `tscnn/tensor`, `tscnn/layers`, `tscnn/models`,
 * `tscnn/check`, `tscnn/autograd`, `tscnn/graph`, `tscnn/optim`, `tscnn/train`, `tscnn/data`,
 * `tscnn/display`, `tscnn/viz`, `tscnn/tfjs`. Folder map: docs/ARCHITECTURE.md.
 *
 * @example
 * import { tensor, conv2d } from 'tscnn';
 * const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]).reshape([1, 1, 3, 3]);
 * conv2d(x, tensor([[1, 0], [0, 1]]).reshape([1, 1, 2, 2]), null).toArray(); // [[[[6, 8], [12, 14]]]]
 *
 * @packageDocumentation
 */
// Tensors print as the lecture's tables / feature maps in a notebook (defines Tensor's display).
import './viz/install';

// Folders other helpers are reorganising (ops, check, display, viz, train's history) are read
// through their index.ts, so their file moves do not touch this list.

// ─── tensors ──────────────────────────────────────────────────────────────────────────────
export { Tensor, tensor, zeros, ones, full, arange, rand, randn, shapeSize } from './tensor/tensor';
export { Rng, seed, getRng } from './tensor/random';
export { formatTensor } from './tensor/format';

// ─── ops: forward, backward, shapes, the registry ─────────────────────────────────────────
export { outputSize, resolvePadding, type Pair, type Padding } from './ops';
export { conv2d, conv2dBackward, conv2dOutputShape, conv2dFlops, conv2dSpecs, type Conv2dOptions } from './ops';
export { linear, linearBackward, linearSpecs } from './ops';
export {
  maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, globalAvgPool2d, globalAvgPool2dBackward,
  type Pool2dOptions, type AvgPool2dOptions,
} from './ops';
export { relu, reluBackward, leakyRelu, leakyReluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward } from './ops';
export { batchNorm2d, batchNorm2dBackward } from './ops';
export { localResponseNorm, localResponseNormBackward } from './ops';
export { softmax, softmaxBackward, logSoftmax, logSoftmaxBackward, softmaxCrossEntropy, mse } from './ops';
export { dropout, dropoutBackward } from './ops';
export { add, addBackward, concat, concatBackward, subtract, subtractBackward, multiply, multiplyBackward, maximum, maximumBackward } from './ops';
export { slice, sliceBackward, upsample2d, upsample2dBackward, mseOneHot } from './ops';
export { flatten, flattenBackward } from './ops';
export { registry, getOp } from './ops';
export type { OpSpec, OpCase } from './ops';

// ─── gradient checks ──────────────────────────────────────────────────────────────────────
export { gradcheck, gradcheckLayer, gradcheckDirectional } from './check';
export { check, assertEqual, assertClose, assertAllClose, maxAbsDiff, checkAnswer } from './check';

// ─── layers and models ────────────────────────────────────────────────────────────────────
export { Module, type Parameter, type ModuleBuffer, type LayerConfig } from './layers/module';
export { Conv2d } from './layers/conv';
export { Linear } from './layers/linear';
export { MaxPool2d, AvgPool2d, GlobalAvgPool2d, AdaptiveAvgPool2d } from './layers/pool';
export { ReLU, LeakyReLU, Sigmoid, Tanh } from './layers/activation';
export { BatchNorm2d, LocalResponseNorm } from './layers/normalization';
export { Dropout } from './layers/dropout';
export { Flatten, Identity } from './layers/reshape';
export { Sequential } from './layers/sequential';
export { Add, Concat } from './layers/merge';
export { Frozen } from './layers/frozen';
export { summary, type Summary, type SummaryRow } from './layers/summary';
export { receptiveField, type ReceptiveFieldReport } from './layers/receptive-field';
export { receptiveFieldOfUnit, type ReceptiveFieldResult } from './layers/receptive-unit';
export { LAYER_TABLE, layerFromConfig, type LayerType, type LayerKind, type LayerRole } from './layers/table';
export { lenet5, alexnet, alexnetPaper, vgg16, xoNet, convnetjsCifar10, initParameters } from './models';

// ─── scalar autograd and graphs ───────────────────────────────────────────────────────────
export { Value } from './autograd/value';
export { drawGraph, drawModel, backwardSteps } from './graph';

// ─── training ─────────────────────────────────────────────────────────────────────────────
export { SGD, Adam, Adagrad, Adadelta, Optimizer, makeOptimizer, stepLr, exponentialLr, cosineLr } from './optim';
export { fit, evaluate, type FitOptions } from './train/fit';
export { stopTraining } from './train/interrupt';
export { History } from './train';
export { ConfusionMatrix, topKAccuracy } from './train/metrics';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint';
export { buildFromConfig } from './train/build';

// ─── data ─────────────────────────────────────────────────────────────────────────────────
export { loadMnist, loadFashionMnist, MNIST_MEAN, MNIST_STD, FASHION_MNIST_CLASSES } from './data/mnist';
export { loadCifar10, CIFAR10_CLASSES } from './data/cifar';
export { xoDataset, xoFeatures, XO_CLASSES } from './data/xo';
export { loadImage } from './data/image';
export type { Dataset } from './data/dataset';
export { augment, type AugmentOptions } from './data/augment';

// ─── notebook output ──────────────────────────────────────────────────────────────────────
export { show, display, clearOutput, toMimeBundle } from './display';
export { isInKernel } from './display';
export { setLocale, getLocale, tr } from './display';
export { imageOf, featureMaps, filters, batchGrid } from './viz';
export { convWalkthrough, poolWalkthrough, reluWalkthrough } from './viz';
export { receptiveFieldView } from './viz';
export { tensorTable, modelSummaryTable } from './viz';
export { lineChart, barChart, histogram, confusionMatrix } from './viz';
export { TrainingView } from './viz';

// ─── TensorFlow.js comparisons ────────────────────────────────────────────────────────────
export { loadTf, setTfBackend, availableTfBackends } from './tfjs/backend';
export { toTf, fromTf } from './tfjs/layout';
export { opParity, formatParityTable, type ParityRow } from './tfjs/parity';
export { toTfModel } from './tfjs/model';
export { compareGradients } from './tfjs/compare';
export { copyWeightsToKeras, copyWeightsFromKeras } from './tfjs/keras';
