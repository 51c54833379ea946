import { resolve } from 'path';

/**
 * Defined (to the checkout's absolute path) when the library runs as the Jupyter kernel's bundle
 * (kernels/lib/library-bundle.js), where `__dirname` is the bundle's folder, not the source's.
 */
declare const __TSCNN_PACKAGE_ROOT__: string | undefined;

/** The checkout's root folder (the one holding package.json), for files the library reads at run time. */
export const PACKAGE_ROOT: string =
  typeof __TSCNN_PACKAGE_ROOT__ === 'string' ? __TSCNN_PACKAGE_ROOT__ : resolve(__dirname, '..', '..');
