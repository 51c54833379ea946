/**
 * The public names of a module entry, read with the TypeScript compiler (re-exports followed to
 * their declarations), and whether each declaration carries a doc comment.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './graph';

export interface PublicName {
  name: string;
  /** Where it is declared, relative to the repository root. */
  file: string;
  documented: boolean;
}

let cached: ts.Program | null = null;

function program(entries: string[]): ts.Program {
  if (cached && entries.every((e) => cached!.getSourceFile(e))) return cached;
  const cfg = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  cached = ts.createProgram(entries, { ...cfg.options, noEmit: true });
  return cached;
}

function hasDoc(decl: ts.Declaration): boolean {
  // Variable declarations keep their JSDoc on the statement.
  let node: ts.Node = decl;
  if (ts.isVariableDeclaration(node) && node.parent && node.parent.parent) node = node.parent.parent;
  return ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d) && (typeof d.comment === 'string' ? d.comment.trim().length > 0 : (d.comment?.length ?? 0) > 0 || (d.tags?.length ?? 0) > 0));
}

/** Every name `entry` exports (relative to the root, e.g. 'src/index.ts'). */
export function publicNames(entry: string, entries: string[] = [entry]): PublicName[] {
  const abs = entries.map((e) => path.join(ROOT, e));
  const p = program(abs);
  const checker = p.getTypeChecker();
  const sf = p.getSourceFile(path.join(ROOT, entry));
  if (!sf) throw new Error(`${entry} is not in the program`);
  const mod = checker.getSymbolAtLocation(sf)!;
  return checker.getExportsOfModule(mod).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    const decls = target.getDeclarations() ?? [];
    return {
      name: s.getName(),
      file: decls[0] ? path.relative(ROOT, decls[0].getSourceFile().fileName) : '?',
      documented: decls.some(hasDoc),
    };
  });
}
