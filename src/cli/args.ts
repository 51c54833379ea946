/**
 * Command-line parsing for `tscnn`: `--name value` / `--name=value` options and positionals,
 * with every problem reported as a `UsageError` (exit code 2, message + usage).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** 'int' and 'number' are validated; 'flag' takes no value. */
  kind: 'string' | 'int' | 'number' | 'flag';
  choices?: readonly string[];
  min?: number;
}

export interface Parsed {
  positionals: string[];
  options: Record<string, string | number | boolean>;
}

export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>): Parsed {
  const positionals: string[] = [];
  const options: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let raw: string | undefined = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    raw = raw.trim();
    if (spec.kind === 'string') {
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got "${raw}"`);
      options[name] = raw;
    } else {
      const v = Number(raw);
      const ok = raw !== '' && Number.isFinite(v) && (spec.kind === 'number' || Number.isInteger(v)) && v >= (spec.min ?? -Infinity);
      if (!ok) {
        throw new UsageError(`--${name} must be ${spec.kind === 'int' ? 'an integer' : 'a number'}${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}, got "${raw}"`);
      }
      options[name] = v;
    }
  }
  return { positionals, options };
}
