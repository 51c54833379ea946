// Visualisation: canvas images, colormaps, walkthroughs, plotly charts, HTML tables.
// Everything returns displayable values (`[DISPLAY]()` → MIME bundle); only LiveChart talks to
// src/display directly. Helpers with generic names (font, css, …) stay internal.
export { NEUTRAL, diverging, sequential, grey, autoScale, scaleFor, type RGB, type ColormapName, type ColorScale } from './colormap';
export { RasterImage, contentId, resetContentIds } from './raster';
export * from './images';
export * from './walkthrough';
export * from './receptive';
export * from './plotly';
export * from './charts';
export * from './live';
export * from './table';
export * from './install';
