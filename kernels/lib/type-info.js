'use strict';
/**
 * Type information on demand. A transpile-only kernel (the default, see typecheckFromEnv in
 * compiler.js) knows no types, but completion (Tab) and inspection (Shift-Tab) need the library's
 * types and those of earlier cells. The first such request builds a type-checking converter
 * (~2–3 s, ~150 MiB: docs/measured.md, "Kernel memory") and replays the cells run so far through
 * it, to rebuild their declarations with real types; later requests replay only the cells run
 * since. A kernel nobody asks for types never pays for them.
 */

/**
 * `compiler`: what createCompiler returned for execution. Returns
 * { ran(code, decl), current(prevDecl) → { conv, decl } } where `ran` records a cell that ran
 * (its rewritten code and the execution converter's declarations after it) and `current` gives
 * the converter and declarations to ask for completions or quick info.
 */
function createTypeInfo(compiler) {
  if (compiler.typecheck) {
    return { ran() {}, current: (prevDecl) => ({ conv: compiler.conv, decl: prevDecl }) };
  }
  const cells = []; // { code, decl } in run order
  let typed = null; // the type-checking converter, built on first use
  let decl = '';
  let replayed = 0;
  return {
    ran(code, cellDecl) { cells.push({ code, decl: cellDecl }); },
    current() {
      if (!typed) {
        const { createCompiler } = require('./compiler');
        typed = createCompiler(compiler.notebookDir, compiler.projectRoot, { typecheck: true });
      }
      for (; replayed < cells.length; replayed++) {
        const out = typed.conv.convert(decl, cells[replayed].code);
        // A cell that type-checks gives its declarations with real types; one that does not
        // (it ran untyped) keeps the names the transpile-only run declared, without types.
        decl = out.diagnostics.length === 0 && out.declOutput !== undefined ? out.declOutput : cells[replayed].decl;
      }
      return { conv: typed.conv, decl };
    },
  };
}

module.exports = { createTypeInfo };
