// Globals the tscnn kernel gives cells (kernels/lib/stdin.js); cells get no DOM lib.
/**
 * Asks the front end for a line of input (Jupyter input_request) and waits for it, as `prompt`
 * in browsers and Deno. Returns `defaultValue` when the answer is empty and one was given.
 * Throws when the front end does not accept input (allow_stdin false, e.g. nbconvert).
 */
declare function prompt(message?: string, defaultValue?: string): string | null;
