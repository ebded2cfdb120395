/**
 * The static import check: before a lesson runs, walk its import graph
 * (static imports, `export … from`, `import()` with a literal) and reject
 * anything outside the allow-list — the kit's `lib/*.ts` and the lessons'
 * own `*.ts` files. Deno's read permission does not stop static imports, so
 * this is what keeps the fixtures, `solutions/` and the grader out of reach;
 * `import()` with a computed specifier is rejected because it cannot be
 * checked. (The child also forbids code generation from strings and removes
 * `Worker`, so nothing can import around this check.)
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL } from "node:url";
import { scan, unescapeSimple } from "./_lexer.ts";

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

/** What a file imports; throws {@linkcode ImportRejected} for an `import()` it cannot check. */
export function importsOf(src: string, file: string): ImportSite[] {
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
        continue;
      }
      throw new ImportRejected(
        `${file}:${tok.line}: import() with a computed specifier cannot be checked: write the path as a string literal`,
      );
    }
    if (tok.text === "import" && next.text === ".") continue; // import.meta
    if (tok.text === "import" && next.kind === "string") {
      found.push({ specifier: next.text, line: next.line });
      continue;
    }
    for (let k = i + 1; k < t.length; k++) {
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

/** A lesson whose imports leave the allow-list. */
export class ImportRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportRejected";
  }
}

/** Where the allow-listed files live. */
export interface ImportPolicy {
  /** The kit's `lib/` (absolute). */
  readonly libDir: string;
  /** The lessons folder being graded (absolute). */
  readonly lessonsDir: string;
}

/** Maps `<lessonsDir>/../lib/x.ts` to the kit's `lib/x.ts` (a copy graded elsewhere uses the kit's lib). */
export function remapLib(path: string, policy: ImportPolicy): string {
  const foreignLib = join(dirname(policy.lessonsDir), "lib");
  return dirname(path) === foreignLib ? join(policy.libDir, path.slice(foreignLib.length + 1)) : path;
}

/**
 * Walks the import graph of `entry` (as Deno resolves it: `deno info --json`,
 * so no syntax trick hides a static import) and returns every local file in
 * it; throws {@linkcode ImportRejected} naming the file, the line and the
 * offending specifier. Each lesson file is also scanned for `import()` with
 * a computed specifier, which Deno's graph cannot show.
 */
export async function checkImportGraph(
  entry: string,
  policy: ImportPolicy,
  importMap?: string,
): Promise<string[]> {
  const rel = (p: string) =>
    p.startsWith(dirname(policy.lessonsDir) + "/") ? p.slice(dirname(policy.lessonsDir).length + 1) : p;
  const args = ["info", "--json", "--no-config", "--quiet"];
  if (importMap) args.push(`--import-map=${importMap}`);
  args.push(entry);
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  })
    .output();
  if (!out.success) {
    throw new ImportRejected(
      `${rel(entry)}: its imports could not be resolved: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: {
        specifier: string;
        code?: { specifier?: string; span?: { start: { line: number } } };
        type?: { specifier?: string; span?: { start: { line: number } } };
      }[];
    }[];
  };
  const files: string[] = [];
  const byUrl = new Map<string, string>();
  for (const m of info.modules) byUrl.set(m.specifier, m.specifier);
  for (const m of info.modules) {
    const from = m.specifier.startsWith("file:") ? fromFileUrl(m.specifier) : m.specifier;
    for (const dep of m.dependencies ?? []) {
      for (const target of [dep.code, dep.type]) {
        if (!target?.specifier) continue;
        const line = (target.span?.start.line ?? 0) + 1;
        const where = `${rel(from)}:${line}`;
        if (!target.specifier.startsWith("file:")) {
          throw new ImportRejected(
            `${where}: imports "${dep.specifier}": lessons may import only the kit's lib/*.ts and other lesson files (no npm:, jsr:, node:, http:, data: or bare specifiers)`,
          );
        }
        const path = remapLib(fromFileUrl(target.specifier), policy);
        const dir = dirname(path);
        if (!(path.endsWith(".ts") && (dir === policy.libDir || dir === policy.lessonsDir))) {
          throw new ImportRejected(
            `${where}: imports "${dep.specifier}", which is outside lib/*.ts and the lesson files (fixtures, solutions/ and grader/ are off limits)`,
          );
        }
      }
    }
    if (m.specifier.startsWith("file:")) {
      files.push(from);
      if (dirname(from) === policy.lessonsDir) {
        let src = "";
        try {
          src = Deno.readTextFileSync(from);
        } catch {
          throw new ImportRejected(`${rel(from)} cannot be read`);
        }
        importsOf(src, rel(from));
      }
    } else {
      throw new ImportRejected(
        `${rel(entry)}: its import graph reaches ${m.specifier}, which is not a local file`,
      );
    }
  }
  return files;
}

/** The file URL of an absolute path. */
export function toFileUrl(path: string): string {
  return pathToFileURL(path).href;
}
