// Visualisation: canvas images, colormaps, walkthroughs, plotly charts, HTML tables, the training
// view. Everything returns displayable values (`[DISPLAY]()` → MIME bundle, built by src/display's
// figureBundle); only the live TrainingView calls src/display's `display` itself.
// Helpers with generic names (font, css, …) stay internal.
export { NEUTRAL, diverging, sequential, grey, autoScale, scaleFor, type RGB, type ColormapName, type ColorScale } from './colormap';
export { RasterImage, contentId, resetContentIds } from './raster';
export * from './images';
export { TensorImage, MIN_TILE_PX, upscaleFactor, type Tile } from './image-paint';
export * from './filters';
export * from './batch-grid';
export { Walkthrough } from './walkthrough';
export { convWalkthrough, poolWalkthrough, reluWalkthrough, type ConvWalkOptions, type PoolWalkOptions } from './walk-ops';
export type { WalkKind, WalkStep } from './walk-types';
export * from './receptive';
export * from './web-chart';
export * from './charts';
export * from './histograms';
export { TrainingView, renderTrainingView, trainingCharts, type TrainingState, type TrainingViewOptions, type RenderTrainingOptions } from './training-view';
export { progressLine, epochLine, type TrainingEpoch } from './training-text';
export * from './table';
export * from './install';
