/**
 * A lesson's imports, read with the shared lexer: static imports,
 * `export … from`, side-effect imports and `import()` with a literal. Before
 * a lesson runs, its graph among the lesson files is walked and anything but
 * relative imports of lesson files and `lib/*.ts` is refused **with a clear
 * message** (file, line, the specifier, the rule). This is for the student's
 * sake and for the type-check cache; it is not the security boundary: the
 * sandbox's import map and read permission are (`workspace.ts`), and they
 * hold for imports this scan cannot see (a computed `import()`, a module
 * built at run time).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { MAX_NESTING, maxNesting, scan, unescapeSimple } from "./lexer.ts";

/** A token of TypeScript source: a string literal, an identifier or a punctuator. */
interface Token {
  readonly kind: "string" | "template" | "ident" | "punct";
  readonly text: string;
  readonly line: number;
}

/**
 * Splits source into tokens, skipping comments (the shared lexer of
 * `_lexer.ts` tells code from literals). A template without substitutions, and
 * the last chunk of one with substitutions, is a `template` token holding its
 * raw text; the chunks before a `${` are the punctuator `` `template` `` and
 * the substitutions are tokenised too. A regex literal is the punctuator
 * `/regex/`, a number `0`.
 */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let counted = 0; // newlines counted in src[0, counted)
  const lineAt = (index: number): number => {
    for (; counted < index; counted++) if (src[counted] === "\n") line++;
    return line;
  };
  for (const span of scan(src)) {
    const body = src.slice(span.start + span.open.length, span.end - span.close.length);
    if (span.kind === "comment") continue;
    if (span.kind === "string") {
      out.push({ kind: "string", text: unescapeSimple(body), line: lineAt(span.start) });
    } else if (span.kind === "template") {
      // the line of its last character, as the grader has always reported
      const line = lineAt(Math.max(span.start, span.end - 1));
      out.push(
        span.close === "${" || (span.open === "`" && span.close === "")
          ? { kind: "punct", text: "`template`", line }
          : { kind: "template", text: body, line },
      );
    } else if (span.kind === "regex") {
      out.push({ kind: "punct", text: "/regex/", line: lineAt(span.start) });
    } else {
      let i = span.start;
      while (i < span.end) {
        const ch = src[i];
        if (/\s/.test(ch)) {
          i++;
        } else if (/[\p{ID_Start}$_]/u.test(ch)) {
          let j = i + 1;
          while (j < span.end && /[\p{ID_Continue}$\u200c\u200d]/u.test(src[j])) j++;
          out.push({ kind: "ident", text: src.slice(i, j), line: lineAt(i) });
          i = j;
        } else if (/[0-9]/.test(ch)) {
          let j = i + 1;
          while (j < span.end && /[\w.]/.test(src[j])) j++;
          out.push({ kind: "punct", text: "0", line: lineAt(i) });
          i = j;
        } else {
          out.push({ kind: "punct", text: ch, line: lineAt(i) });
          i++;
        }
      }
    }
  }
  return out;
}

/** An import found in a file. */
export interface ImportSite {
  /** The specifier as written. */
  readonly specifier: string;
  /** 1-based line. */
  readonly line: number;
}

/** The most tokens an import or export clause may span before its `from` (names, commas, braces). */
export const CLAUSE_TOKENS = 512;

/** What a file imports (a computed `import()` is not listed: it cannot be read statically). */
export function importsOf(src: string): ImportSite[] {
  const t = tokenize(src);
  const found: ImportSite[] = [];
  const isLiteral = (k: Token | undefined) =>
    k !== undefined && (k.kind === "string" || k.kind === "template");
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (tok.kind !== "ident" || (tok.text !== "import" && tok.text !== "export")) continue;
    if (i > 0 && t[i - 1].kind === "punct" && t[i - 1].text === ".") continue; // obj.import
    const next = t[i + 1];
    if (!next) continue;
    if (tok.text === "import" && next.text === "(") {
      const arg = t[i + 2];
      const after = t[i + 3];
      if (isLiteral(arg) && after && (after.text === ")" || after.text === ",")) {
        found.push({ specifier: arg.text, line: arg.line });
      }
      continue;
    }
    if (tok.text === "import" && next.text === ".") continue; // import.meta
    if (tok.text === "import" && next.kind === "string") {
      found.push({ specifier: next.text, line: next.line });
      continue;
    }
    // An import clause is short: the scan stops after CLAUSE_TOKENS, so a file of `export` followed by
    // endless commas costs linear time, not quadratic (the scan runs in the trusted parent).
    for (let k = i + 1; k < t.length && k <= i + CLAUSE_TOKENS; k++) {
      const x = t[k];
      if (x.kind === "ident" && x.text === "from" && t[k + 1]?.kind === "string") {
        found.push({ specifier: t[k + 1].text, line: t[k + 1].line });
        break;
      }
      const clause = x.kind === "ident" || (x.kind === "punct" && "{},*".includes(x.text));
      if (!clause) break;
    }
  }
  return found;
}

/** A lesson whose imports leave the lesson files and lib/. */
export class ImportRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportRejected";
  }
}

/** Where a lesson's imports may lead: the lesson files and `lib/`, as folders of the sandbox. */
export interface ImportPolicy {
  /** The folder of the lesson files (absolute). */
  readonly lessonsDir: string;
  /** The folder of `lib/` (absolute). */
  readonly libDir: string;
}

/**
 * The files of `entry`'s import graph (entry first), following relative
 * imports among the lesson files and into `lib/`. Throws
 * {@linkcode ImportRejected} naming the file, the line and the specifier for
 * any other import, or for one of a file that does not exist.
 */
export function lessonGraph(entry: string, policy: ImportPolicy): string[] {
  const seen = new Set<string>([entry]);
  const todo = [entry];
  const name = (p: string) => p.slice(dirname(policy.lessonsDir).length + 1);
  while (todo.length) {
    const file = todo.shift()!;
    if (dirname(file) === policy.libDir) continue; // the kit's own lib is trusted and complete
    let src: string;
    try {
      src = Deno.readTextFileSync(file);
    } catch {
      throw new ImportRejected(`${name(file)} cannot be read`);
    }
    // Before deno check parses it: TypeScript's parser takes exponential time on some deep nestings.
    if (maxNesting(src) > MAX_NESTING) {
      throw new ImportRejected(`${name(file)}: brackets nested more than ${MAX_NESTING} deep`);
    }
    for (const site of importsOf(src)) {
      const where = `${name(file)}:${site.line}`;
      const spec = site.specifier;
      if (!spec.startsWith("./") && !spec.startsWith("../")) {
        throw new ImportRejected(
          `${where}: imports "${spec}": lessons may import only lesson files and the kit's lib/*.ts, with relative paths (no npm:, jsr:, node:, http:, data:, absolute or bare specifiers)`,
        );
      }
      const target = join(dirname(file), spec.split(/[?#]/)[0]);
      const dir = dirname(target);
      if (!(target.endsWith(".ts") && (dir === policy.lessonsDir || dir === policy.libDir))) {
        throw new ImportRejected(
          `${where}: imports "${spec}", which is outside the lesson files and lib/*.ts (solutions/, the grader and its fixtures are off limits)`,
        );
      }
      try {
        Deno.statSync(target);
      } catch {
        throw new ImportRejected(`${where}: imports "${spec}", which does not exist`);
      }
      if (!seen.has(target)) {
        seen.add(target);
        todo.push(target);
      }
    }
  }
  return [...seen];
}
