/**
 * `deno task make-lessons`: regenerates the student stubs in `lessons/` from
 * the reference solutions in `solutions/`, the way otter-grader and nbgrader
 * strip solutions from a notebook. One source of truth: the stubs are never
 * edited by hand.
 *
 * In a solution, the part a student writes sits between two marker lines:
 *
 * ```text
 *   override updateOutput(input: Tensor): Tensor {
 *     // BEGIN SOLUTION: compute output = input·Wᵀ + b, store it in this.output and return it
 *     …solution lines…
 *     // END SOLUTION
 *   }
 * ```
 *
 * The stub keeps everything else and replaces the block (markers included,
 * same indentation) with a TODO that throws:
 *
 * ```text
 *     // TODO(linear): compute output = input·Wᵀ + b, store it in this.output and return it
 *     throw new NotImplementedError("Linear.updateOutput");
 * ```
 *
 * The task is `Class.method`, or the function's name, from the declaration
 * that encloses the block. Lines ending in `// solution-only` are dropped.
 * The stub then stays clean for `deno check`, `deno lint` and `deno fmt`:
 * `NotImplementedError` is imported from `lib/module.ts` (merged into an
 * existing import), imports that only the solution used are dropped,
 * parameters that only the solution used are kept (the API does not change)
 * and named in a `void` line above the `throw` so `no-unused-vars` accepts
 * them. The JSDoc examples that import a stubbed file, directly or through
 * another (as `mod.ts` does), are marked `ignore`: they throw until the
 * student writes the code, and `deno test --doc` must stay green. Files
 * without markers (worked examples, `mod.ts`, `_` helpers) are otherwise
 * copied verbatim; `*_test.ts` files are not copied.
 *
 * Anything the stub could not survive is an error naming the file and line:
 * unbalanced or nested markers, a block outside a function body or crossing
 * a brace, code after a block in the same body (it would be unreachable
 * after the `throw`), a variable or helper declared outside the block but
 * only used inside it.
 *
 * ```sh
 * deno task make-lessons            # write lessons/
 * deno task make-lessons --check    # exit 1 listing the stubs that differ; writes nothing
 * deno task make-lessons --out DIR  # write the stubs to DIR instead
 * ```
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeStub } from "./make_lessons.ts";
 * const source = [
 *   'import { Module } from "../lib/module.ts";',
 *   "",
 *   "export class Twice extends Module {",
 *   "  double(x: number): number {",
 *   "    // BEGIN SOLUTION: return twice x",
 *   "    return 2 * x;",
 *   "    // END SOLUTION",
 *   "  }",
 *   "}",
 *   "",
 * ].join("\n");
 * const stub = makeStub(source, { file: "twice.ts" });
 * assert.deepEqual(stub.tasks.map((t) => t.task), ["Twice.double"]);
 * assert.equal(
 *   stub.text,
 *   [
 *     'import { Module, NotImplementedError } from "../lib/module.ts";',
 *     "",
 *     "export class Twice extends Module {",
 *     "  double(x: number): number {",
 *     "    // TODO(twice): return twice x",
 *     "    void x; // unused until you write this: delete this line with the throw",
 *     '    throw new NotImplementedError("Twice.double");',
 *     "  }",
 *     "}",
 *     "",
 *   ].join("\n"),
 * );
 * ```
 *
 * @module
 */

import { scan } from "../grader/sandbox/lexer.ts";
import { LESSONS } from "../grader/manifest.ts";

/** The line width `deno fmt` uses in this repo (deno.json `fmt.lineWidth`). */
const LINE_WIDTH = 110;

/** A marker problem (or any code a stub could not survive), with the file and 1-based line. */
export class LessonMarkerError extends SyntaxError {
  /** The solution file, as given to `makeStub`. */
  readonly file: string;
  /** The 1-based line of the problem. */
  readonly line: number;

  /** @param file the solution file; @param line 1-based; @param message what is wrong and what to do */
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "LessonMarkerError";
    this.file = file;
    this.line = line;
  }
}

/** One part of a stub the student writes. */
export interface StubTask {
  /** `Class.method` or the function name; what the `NotImplementedError` names. */
  task: string;
  /** The TODO's text (the hint after `BEGIN SOLUTION:`). */
  hint: string;
  /** The 1-based line of the `BEGIN SOLUTION` marker in the solution file. */
  line: number;
}

/** A generated lesson file. */
export interface StubResult {
  /** The stub's source text. */
  text: string;
  /** The parts replaced by a TODO, in file order (empty for a verbatim copy). */
  tasks: StubTask[];
  /** Things the instructor should look at (the stub is still valid), each naming the file and line. */
  warnings: string[];
}

/** Options of {@linkcode makeStub}. */
export interface StubOptions {
  /** The file's path relative to `solutions/` (for messages, the TODO tag and the import path). */
  file: string;
  /** The tag in `TODO(tag)`; by default the file name without `.ts` (the lesson's CLI name). */
  tag?: string;
}

// ---------------------------------------------------------------------------
// Lexing: the source with comments, strings and regex bodies blanked out, so
// that braces, identifiers and statements can be read without being fooled.

interface Comment {
  /** Index of the first character (`/`). */
  start: number;
  /** Index after the last character. */
  end: number;
  block: boolean;
}

interface Lexed {
  /** The source with every non-code character replaced by a space (newlines kept). */
  code: string;
  comments: Comment[];
}

/** The source with comments, strings, template text and regex bodies blanked (the shared lexer). */
function _lex(src: string): Lexed {
  const out = src.split("");
  const comments: Comment[] = [];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  for (const s of scan(src)) {
    if (s.kind === "code") continue;
    if (s.kind === "comment") {
      comments.push({ start: s.start, end: s.end, block: s.open === "/*" });
      blank(s.start, s.end);
    } else if (s.kind === "template") {
      // keep the backticks, blank the text and the `}` / `${` around substitutions
      blank(s.start + (s.open === "`" ? 1 : 0), s.end - (s.close === "`" ? 1 : 0));
    } else {
      // strings and regex literals keep their delimiters (and flags)
      blank(s.start + s.open.length, s.end - s.close.length);
    }
  }
  return { code: out.join(""), comments };
}

// ---------------------------------------------------------------------------
// Structure: the tree of `{ }` blocks, each classified (class, method,
// function, arrow function, other) from the code that precedes it.

type BlockKind = "class" | "method" | "function" | "arrow" | "other";

interface Block {
  kind: BlockKind;
  /** The class, method or function name ("" when anonymous or not applicable). */
  name: string;
  /** Parameter names of a function-like block (destructured ones left out). */
  params: string[];
  /** Index where the code before `{` starts (the parameters of a function-like block are in it). */
  headerStart: number;
  /** Index of `{`. */
  open: number;
  /** Index of the matching `}`. */
  close: number;
  parent: Block | undefined;
}

const IDENT = "[A-Za-z_$][\\w$]*";

/** Splits `text` at commas outside (), [], {}, <> (a `=>` is not a closing >). */
function _splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === "=" && text[k + 1] === ">") {
      k++;
    } else if ("([{<".includes(c)) {
      depth++;
    } else if (")]}>".includes(c)) {
      depth--;
    } else if (c === "," && depth === 0) {
      parts.push(text.slice(start, k));
      start = k + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function _paramNames(list: string): string[] {
  const names: string[] = [];
  for (let part of _splitTopLevel(list)) {
    part = part.replace(/^(?:(?:public|private|protected|readonly|override)\s+)+/, "").replace(/^\.\.\./, "");
    const m = part.match(new RegExp(`^(${IDENT})`));
    if (m && m[1] !== "this") names.push(m[1]);
  }
  return names;
}

/** The text inside the first `(` of `header` and its matching `)`, or undefined. */
function _parenContent(header: string): string | undefined {
  const start = header.indexOf("(");
  if (start < 0) return undefined;
  let depth = 0;
  for (let k = start; k < header.length; k++) {
    if (header[k] === "(") depth++;
    else if (header[k] === ")" && --depth === 0) return header.slice(start + 1, k);
  }
  return undefined;
}

const METHOD_RE = new RegExp(
  `^(?:(?:public|private|protected|static|override|async|readonly|abstract|get|set)\\s+)*\\*?\\s*(#?${IDENT})\\s*(?:<.*>)?\\s*\\(.*\\)\\s*(?::.*)?$`,
  "s",
);

function _classify(header: string, parent: Block | undefined): Pick<Block, "kind" | "name" | "params"> {
  const h = header.replace(/\s+/g, " ").trim();
  const fn = h.match(new RegExp(`(?:^|[^\\w$.])function\\b\\s*\\*?\\s*(${IDENT})?`));
  if (/=>$/.test(h)) {
    const named = h.match(
      new RegExp(`(?:^|\\s)(?:const|let|var)\\s+(${IDENT})\\s*(?::[^=]*)?=\\s*(?:async\\s*)?[(<]`),
    );
    const arrow = h.match(new RegExp(`(?:\\((.*)\\)|(${IDENT}))\\s*(?::[^=]*)?=>$`));
    const params = arrow ? (arrow[1] !== undefined ? _paramNames(arrow[1]) : [arrow[2]]) : [];
    return { kind: "arrow", name: named ? named[1] : "", params };
  }
  if (fn) {
    const rest = h.slice(fn.index! + fn[0].length);
    const named = fn[1] ?? h.match(new RegExp(`(?:const|let|var)\\s+(${IDENT})\\s*=`))?.[1] ?? "";
    return { kind: "function", name: named, params: _paramNames(_parenContent(rest) ?? "") };
  }
  const cls = h.match(new RegExp(`(?:^|\\s)class\\s+(${IDENT})`));
  if (cls || /(?:^|\s)class(?:\s|$)/.test(h)) return { kind: "class", name: cls ? cls[1] : "", params: [] };
  if (parent?.kind === "class") {
    const m = h.match(METHOD_RE);
    if (m) return { kind: "method", name: m[1], params: _paramNames(_parenContent(h) ?? "") };
  }
  return { kind: "other", name: "", params: [] };
}

interface Frame {
  ch: string;
  block: Block | undefined;
  stmtStart: number;
  /** A `{ … }` object type inside a header, which does not end the statement. */
  typeLiteral?: boolean;
}

function _blocks(code: string, file: string, lineOf: (index: number) => number): Block[] {
  const blocks: Block[] = [];
  const stack: Frame[] = [{ ch: "", block: undefined, stmtStart: 0 }];
  const enclosing = () => {
    for (let k = stack.length - 1; k >= 0; k--) if (stack[k].block) return stack[k].block;
    return undefined;
  };
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    const top = stack[stack.length - 1];
    if (c === "(" || c === "[") {
      stack.push({ ch: c, block: undefined, stmtStart: i + 1 });
    } else if (c === "{") {
      const parent = enclosing();
      const header = code.slice(top.stmtStart, i);
      // An object type after `:` (a return or property type) or in a union: part of the header that follows.
      const typeLiteral = /[:|&]\s*$/.test(header);
      const what: Pick<Block, "kind" | "name" | "params"> = typeLiteral
        ? { kind: "other", name: "", params: [] }
        : _classify(header, top.ch === "{" || top.ch === "" ? parent : undefined);
      const block: Block = { ...what, headerStart: top.stmtStart, open: i, close: -1, parent };
      blocks.push(block);
      stack.push({ ch: "{", block, stmtStart: i + 1, typeLiteral });
    } else if (c === ")" || c === "]" || c === "}") {
      if (stack.length === 1 || top.ch !== pairs[c]) {
        throw new LessonMarkerError(file, lineOf(i), `unbalanced "${c}": the file does not parse`);
      }
      stack.pop();
      if (top.block) top.block.close = i;
      if (c === "}" && !top.typeLiteral) stack[stack.length - 1].stmtStart = i + 1;
    } else if (c === ";" || c === ",") {
      top.stmtStart = i + 1;
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new LessonMarkerError(
      file,
      lineOf(open.stmtStart - 1),
      `unclosed "${open.ch}": the file does not parse`,
    );
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Identifiers.

/** Identifiers used as names (not after `.`, as in `this.x`) in `code[from, to)`, with their indices. */
function _references(code: string, from = 0, to = code.length): { name: string; index: number }[] {
  const refs: { name: string; index: number }[] = [];
  const re = new RegExp(IDENT, "g");
  re.lastIndex = from;
  for (let m = re.exec(code); m !== null && m.index < to; m = re.exec(code)) {
    const before = code[m.index - 1];
    if (before !== undefined && /[\w$0-9]/.test(before)) continue; // the tail of a number like 1e3
    let k = m.index - 1;
    while (k >= 0 && /\s/.test(code[k])) k--;
    const isProperty = code[k] === "." && code[k - 1] !== "." || (code[k] === "#");
    if (!isProperty && !/^\d/.test(m[0])) refs.push({ name: m[0], index: m.index });
  }
  return refs;
}

/** A region where some names are bound afresh (a function's parameters): references there are not ours. */
interface Scope {
  params: string[];
  start: number;
  end: number;
}

/**
 * The scopes of arrow functions with an expression body, `(a, b) => a + b`,
 * from the parameter list to the end of the expression (block bodies are
 * blocks, with their parameters).
 */
function _arrowScopes(code: string): Scope[] {
  const scopes: Scope[] = [];
  for (let at = code.indexOf("=>"); at >= 0; at = code.indexOf("=>", at + 2)) {
    let k = at - 1;
    while (k >= 0 && /\s/.test(code[k])) k--;
    let start = k;
    let params: string[] = [];
    if (code[k] === ")") {
      let depth = 0;
      for (; k >= 0; k--) {
        if (code[k] === ")") depth++;
        else if (code[k] === "(" && --depth === 0) break;
      }
      start = k;
      params = _paramNames(code.slice(k + 1, at).replace(/\)[^)]*$/, ""));
    } else {
      while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
      params = [code.slice(start, k + 1)];
    }
    let e = at + 2;
    while (e < code.length && /\s/.test(code[e])) e++;
    if (code[e] === "{") continue;
    let depth = 0;
    for (; e < code.length; e++) {
      const c = code[e];
      if ("([{".includes(c)) depth++;
      else if (")]}".includes(c) && --depth < 0) break;
      else if ((c === "," || c === ";") && depth === 0) break;
    }
    scopes.push({ params, start, end: e });
  }
  return scopes;
}

/** How many references to `name` lie in `code[from, to)`, leaving out those in `shadows` that rebind it. */
function _count(
  code: string,
  name: string,
  from = 0,
  to = code.length,
  shadows: readonly Scope[] = [],
): number {
  const hidden = shadows.filter((s) => s.params.includes(name) && s.start >= from && s.end <= to);
  return _references(code, from, to).filter((r) =>
    r.name === name && !hidden.some((s) => s.start <= r.index && r.index <= s.end)
  ).length;
}

/** Names declared by `const|let|var` in `code[from, to)`, with the index of the name and the keyword. */
function _declarations(
  code: string,
  from: number,
  to: number,
): { name: string; index: number; kind: string }[] {
  const decls: { name: string; index: number; kind: string }[] = [];
  const re = new RegExp(`\\b(const|let|var)\\s+(${IDENT}|\\[[^\\]]*\\]|\\{[^}]*\\})`, "g");
  re.lastIndex = from;
  for (let m = re.exec(code); m !== null && m.index < to; m = re.exec(code)) {
    const [, kind, target] = m;
    const at = m.index + m[0].length - target.length;
    if (target[0] === "[" || target[0] === "{") {
      for (const part of _splitTopLevel(target.slice(1, -1))) {
        const renamed = part.match(new RegExp(`:\\s*(${IDENT})`));
        const plain = part.replace(/^\.\.\./, "").match(new RegExp(`^(${IDENT})`));
        const name = renamed ? renamed[1] : plain?.[1];
        if (name) decls.push({ name, index: at + target.indexOf(name), kind });
      }
    } else {
      decls.push({ name: target, index: at, kind });
    }
  }
  return decls;
}

// ---------------------------------------------------------------------------
// Imports.

interface ImportDecl {
  /** Index of `import`. */
  start: number;
  /** Index after the `;` (or the end of the statement). */
  end: number;
  typeOnly: boolean;
  /** The default import's local name, "" when none. */
  defaultName: string;
  /** `* as name`, "" when none. */
  namespace: string;
  /** Named specifiers as written (`A`, `type B`, `C as D`), with their local names. */
  named: { text: string; local: string }[];
  /** Whether the statement had `{ }` (possibly empty). */
  braces: boolean;
  /** The module specifier, without quotes. */
  from: string;
  multiline: boolean;
}

function _imports(src: string, code: string, blocks: Block[]): ImportDecl[] {
  const decls: ImportDecl[] = [];
  const re = /(^|[;\n])[ \t]*import\b/g;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    const start = m.index + m[0].length - "import".length;
    if (blocks.some((b) => b.open < start && start < b.close)) continue;
    let end = code.indexOf(";", start);
    end = end < 0 ? code.length : end + 1;
    const text = src.slice(start, end);
    const parsed = text.match(
      /^import\s+(type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\*\s+as\s+([A-Za-z_$][\w$]*)\s*)?(?:\{([^}]*)\}\s*)?(?:from\s*)?["']([^"']+)["']\s*(?:with\s*\{[^}]*\}\s*)?;?$/s,
    );
    if (!parsed) continue;
    const named = parsed[4] === undefined ? [] : _splitTopLevel(parsed[4]).map((t) => {
      const spec = t.replace(/\s+/g, " ");
      const local = spec.match(new RegExp(`(?:\\bas\\s+)(${IDENT})$`))?.[1] ??
        spec.replace(/^type\s+/, "").match(new RegExp(`^(${IDENT})`))?.[1] ?? "";
      return { text: spec, local };
    });
    decls.push({
      start,
      end,
      typeOnly: parsed[1] !== undefined,
      defaultName: parsed[2] ?? "",
      namespace: parsed[3] ?? "",
      named,
      braces: parsed[4] !== undefined,
      from: parsed[5],
      multiline: text.includes("\n"),
    });
  }
  return decls;
}

/**
 * Named import specifiers in the order `deno fmt` keeps them: by imported
 * name (`type` and `as …` aside), case-insensitively, upper case first on a tie.
 */
function _sortSpecifiers(named: ImportDecl["named"]): ImportDecl["named"] {
  const key = (s: { text: string }) => s.text.replace(/^type\s+/, "").split(/\s+as\s+/)[0];
  const compare = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0;
  return [...named].sort((a, b) =>
    compare(key(a).toLowerCase(), key(b).toLowerCase()) || compare(key(a), key(b))
  );
}

function _formatImport(d: ImportDecl): string {
  const head = `import ${d.typeOnly ? "type " : ""}`;
  const clause: string[] = [];
  if (d.defaultName) clause.push(d.defaultName);
  if (d.namespace) clause.push(`* as ${d.namespace}`);
  const tail = ` from "${d.from}";`;
  if (d.named.length === 0) return `${head}${clause.join(", ")}${tail}`;
  const prefix = clause.length > 0 ? `${clause.join(", ")}, ` : "";
  const oneLine = `${head}${prefix}{ ${d.named.map((s) => s.text).join(", ")} }${tail}`;
  if (oneLine.length <= LINE_WIDTH) return oneLine;
  return `${head}${prefix}{\n${d.named.map((s) => `  ${s.text},\n`).join("")}}${tail}`;
}

// ---------------------------------------------------------------------------
// The transformation.

const BEGIN_RE = /^(\s*)\/\/\s*BEGIN SOLUTION(?:\s*:\s*(.*?))?\s*$/;
const END_RE = /^\s*\/\/\s*END SOLUTION\s*$/;
const SOLUTION_ONLY_RE = /\/\/\s*solution-only\s*$/;

interface Region {
  /** 0-based line indices of the BEGIN and END markers. */
  begin: number;
  end: number;
  indent: string;
  hint: string;
  task: string;
  /** The innermost block holding the SOLUTION block. */
  inner: Block | undefined;
  /** Function-like blocks from the innermost out to the one naming the task. */
  functions: Block[];
  voids: string[];
}

/**
 * The stub of one solution file: the marked blocks replaced by TODOs that
 * throw `NotImplementedError`, solution-only lines dropped, imports fixed up.
 * A file without markers comes back unchanged with no tasks. (Marking the
 * examples that call stubs `ignore` needs the whole tree: {@linkcode buildLessons}.)
 *
 * @throws {LessonMarkerError} for malformed markers or a stub that would not
 * type-check or lint; the message names the file and line and what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeStub } from "./make_lessons.ts";
 * const source = "export function f(x: number): number {\n  // BEGIN SOLUTION\n  return x;\n}\n";
 * assert.throws(() => makeStub(source, { file: "f.ts" }), /f\.ts:2: BEGIN SOLUTION is not closed/);
 * ```
 */
export function makeStub(source: string, options: StubOptions): StubResult {
  const file = options.file;
  const tag = options.tag ?? file.replace(/\.ts$/, "");
  const { code, comments } = _lex(source);
  const lines = source.split("\n");
  const lineStarts: number[] = [];
  for (let k = 0, at = 0; k < lines.length; k++) {
    lineStarts.push(at);
    at += lines[k].length + 1;
  }
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const lineEnd = (line: number) => lineStarts[line] + lines[line].length;

  // 1. Markers and solution-only lines, from the line comments.
  const regions: Region[] = [];
  const dropped = new Set<number>();
  let open: Region | undefined;
  for (const comment of comments) {
    if (comment.block) continue;
    const line = lineOf(comment.start) - 1;
    const text = source.slice(comment.start, comment.end);
    const whole = lines[line].trimStart().startsWith("//") &&
      lineStarts[line] + lines[line].indexOf("//") === comment.start;
    if (/\bBEGIN SOLUTION\b/.test(text)) {
      const m = lines[line].match(BEGIN_RE);
      if (!whole || !m) {
        throw new LessonMarkerError(
          file,
          line + 1,
          'malformed BEGIN SOLUTION marker: expected a line of its own, "// BEGIN SOLUTION: <what to write>"',
        );
      }
      if (open) {
        throw new LessonMarkerError(
          file,
          line + 1,
          `nested BEGIN SOLUTION: the block opened at line ${open.begin + 1} is not closed yet`,
        );
      }
      open = {
        begin: line,
        end: -1,
        indent: m[1],
        hint: m[2] ?? "",
        task: "",
        inner: undefined,
        functions: [],
        voids: [],
      };
    } else if (/\bEND SOLUTION\b/.test(text)) {
      if (!whole || !END_RE.test(lines[line])) {
        throw new LessonMarkerError(
          file,
          line + 1,
          'malformed END SOLUTION marker: expected a line of its own, "// END SOLUTION"',
        );
      }
      if (!open) {
        throw new LessonMarkerError(file, line + 1, "END SOLUTION without a BEGIN SOLUTION before it");
      }
      open.end = line;
      regions.push(open);
      open = undefined;
    } else if (SOLUTION_ONLY_RE.test(text) && comment.end === lineEnd(line)) {
      dropped.add(line);
    } else if (/solution-only/.test(text)) {
      throw new LessonMarkerError(
        file,
        line + 1,
        'malformed solution-only marker: expected "// solution-only" at the end of the line',
      );
    }
  }
  if (open) {
    throw new LessonMarkerError(
      file,
      open.begin + 1,
      "BEGIN SOLUTION is not closed: add // END SOLUTION after the solution",
    );
  }
  if (regions.length === 0 && dropped.size === 0) return { text: source, tasks: [], warnings: [] };

  // 2. Where each block sits: balanced, inside a function, nothing after it.
  const blocks = _blocks(code, file, lineOf);
  const scopes: Scope[] = [
    ..._arrowScopes(code),
    ...blocks.filter((b) => b.params.length > 0).map((b) => ({
      params: b.params,
      start: b.headerStart,
      end: b.close,
    })),
  ];
  const count = (text: string, name: string, from = 0, to = text.length) =>
    _count(text, name, from, to, scopes);
  const removedLine = new Set<number>(dropped);
  for (const r of regions) for (let k = r.begin; k <= r.end; k++) removedLine.add(k);
  const remainingChars = code.split("");
  for (const line of removedLine) {
    for (let k = lineStarts[line]; k < lineEnd(line); k++) remainingChars[k] = " ";
  }
  const remaining = remainingChars.join("");
  // The code without the solution-only lines (the SOLUTION blocks still in).
  const keptCodeChars = code.split("");
  for (const line of dropped) {
    for (let k = lineStarts[line]; k < lineEnd(line); k++) keptCodeChars[k] = " ";
  }
  const keptCode = keptCodeChars.join("");

  for (const r of regions) {
    const from = lineStarts[r.begin];
    const to = lineEnd(r.end);
    let balance = 0;
    for (let k = from; k < to; k++) {
      const c = code[k];
      if ("([{".includes(c)) balance++;
      else if (")]}".includes(c) && --balance < 0) break;
    }
    if (balance !== 0) {
      throw new LessonMarkerError(
        file,
        r.begin + 1,
        `the SOLUTION block (lines ${r.begin + 1}-${r.end + 1}) crosses a bracket: ` +
          "it must open and close inside the same block",
      );
    }
    let inner: Block | undefined;
    for (const b of blocks) if (b.open < from && b.close >= to && (!inner || b.open > inner.open)) inner = b;
    r.inner = inner;
    for (let b = inner; b; b = b.parent) {
      if (b.kind === "function" || b.kind === "arrow" || b.kind === "method") r.functions.push(b);
      if (
        (b.kind === "method" && b.parent?.kind === "class") ||
        (b.kind !== "other" && b.kind !== "class" && b.name)
      ) {
        r.task = b.kind === "method" ? `${b.parent!.name}.${b.name}` : b.name;
        break;
      }
    }
    if (!r.task) {
      throw new LessonMarkerError(
        file,
        r.begin + 1,
        "BEGIN SOLUTION outside a function body: markers go inside a method or a named function",
      );
    }
    let next = to;
    while (next < keptCode.length && /\s/.test(keptCode[next])) next++;
    const following = regions.find((r2) => lineStarts[r2.begin] > to && lineStarts[r2.begin] < next);
    if (following) next = lineStarts[following.begin];
    if (next < keptCode.length && (following || keptCode[next] !== "}")) {
      throw new LessonMarkerError(
        file,
        lineOf(next),
        `code follows the SOLUTION block that ends at line ${
          r.end + 1
        }: the stub throws there, so it would be ` +
          "unreachable (deno lint no-unreachable); end the block at the end of its body, or merge the blocks",
      );
    }
  }

  // 3. Names only the solution used. Parameters, and constants declared before the block in scope of
  // it, stay for the student to use: a `void` line keeps no-unused-vars quiet. Anything else is an error.
  const innerOf = (index: number): Block | undefined => {
    let inner: Block | undefined;
    for (const b of blocks) {
      if (b.open < index && index < b.close && (!inner || b.open > inner.open)) inner = b;
    }
    return inner;
  };
  const encloses = (outer: Block | undefined, b: Block | undefined): boolean => {
    for (let x = b; x; x = x.parent) if (x === outer) return true;
    return outer === undefined;
  };
  const firstRegionOf = new Map<Block, Region>();
  for (const r of regions) for (const f of r.functions) if (!firstRegionOf.has(f)) firstRegionOf.set(f, r);
  for (const [f, r] of firstRegionOf) {
    for (const p of f.params) {
      if (p.startsWith("_")) continue;
      if (count(code, p, f.open, f.close) > 0 && count(remaining, p, f.open, f.close) === 0) {
        r.voids.push(p);
      }
    }
  }
  const checked = new Set<number>();
  for (const f of new Set(regions.map((r) => r.functions.at(-1)!))) {
    for (const d of _declarations(remaining, f.open, f.close)) {
      if (d.name.startsWith("_") || checked.has(d.index)) continue;
      checked.add(d.index);
      const usedBefore = count(code, d.name, f.open, f.close) > 1;
      if (usedBefore && count(remaining, d.name, f.open, f.close) <= 1) {
        const user = regions.find((r) => count(code, d.name, lineStarts[r.begin], lineEnd(r.end)) > 0);
        if (
          d.kind === "const" && user && d.index < lineStarts[user.begin] &&
          encloses(innerOf(d.index), user.inner)
        ) {
          if (!user.voids.includes(d.name)) user.voids.push(d.name);
          continue;
        }
        throw new LessonMarkerError(
          file,
          lineOf(d.index),
          `"${d.name}" is declared outside the SOLUTION block but only used inside it, so the stub would ` +
            "leave it unused (deno lint no-unused-vars): declare it with const before the block, move it into " +
            "the block, or end its line with // solution-only",
        );
      }
      const nm = d.name.replace(/\$/g, "\\$");
      const assign = new RegExp(
        `(?<![\\w$.])${nm}\\s*(?:\\*\\*|<<|>>>?|\\?\\?|&&|\\|\\||[-+*/%&|^])?=(?![=>])|(?:\\+\\+|--)\\s*${nm}(?![\\w$])|` +
          `(?<![\\w$.])${nm}\\s*(?:\\+\\+|--)`,
        "g",
      );
      const assignments = (text: string) =>
        [...text.slice(f.open, f.close).matchAll(assign)].filter((m) => f.open + m.index !== d.index).length;
      if (d.kind === "let" && assignments(code) > 0 && assignments(remaining) === 0) {
        throw new LessonMarkerError(
          file,
          lineOf(d.index),
          `"${d.name}" is only reassigned inside a SOLUTION block, so the stub would declare a let that is never ` +
            "reassigned (deno lint prefer-const): move the declaration into the block",
        );
      }
    }
  }
  const topLevel = new RegExp(
    `(?:^|\\n)(?:export\\s+)?(?:async\\s+)?(function\\*?|class|const|let|var)\\s+(${IDENT})`,
    "g",
  );
  const warnings: string[] = [];
  for (let m = topLevel.exec(remaining); m !== null; m = topLevel.exec(remaining)) {
    const name = m[2];
    const at = m.index + m[0].length - name.length;
    if (m[0].includes("export") || blocks.some((b) => b.open < at && at < b.close)) continue;
    if (count(code, name) > 1 && count(remaining, name) <= 1) {
      if (!name.startsWith("_")) {
        throw new LessonMarkerError(
          file,
          lineOf(at),
          `"${name}" is only used inside SOLUTION blocks, so the stub would leave it unused (deno lint ` +
            "no-unused-vars): name it with a leading _ (a private helper the stub keeps), or move it to a " +
            "helper file such as _helpers.ts (its import is then dropped from the stub)",
        );
      }
      const body = blocks.find((b) => b.open > at && b.parent === undefined);
      const stubbed = body !== undefined &&
        regions.some((r) => body.open < lineStarts[r.begin] && lineEnd(r.end) < body.close);
      if (!stubbed) {
        warnings.push(
          `${file}:${
            lineOf(at)
          }: "${name}" is only used inside SOLUTION blocks yet the stub gives it whole: ` +
            "it may give the solution away (mark its body as a SOLUTION block too, or move it into one)",
        );
      }
    }
  }

  // 4. Imports: drop what only the solution used, import NotImplementedError.
  const imports = _imports(source, code, blocks);
  const importRanges = imports.map((d) => [d.start, d.end] as const);
  const used = new Set(
    _references(remaining).filter((r) => !importRanges.some(([a, b]) => a <= r.index && r.index < b)).map((
      r,
    ) => r.name),
  );
  if (regions.length > 0) used.add("NotImplementedError");
  const replacements = new Map<ImportDecl, string | null>();
  const modulePath = `${"../".repeat(file.split("/").length)}lib/module.ts`;
  let needImport = regions.length > 0 &&
    !imports.some((d) =>
      !d.typeOnly && d.named.some((s) => s.local === "NotImplementedError" && !s.text.startsWith("type "))
    );
  for (const d of imports) {
    if (removedLine.has(lineOf(d.start) - 1)) continue;
    const kept: ImportDecl = {
      ...d,
      defaultName: used.has(d.defaultName) ? d.defaultName : "",
      namespace: used.has(d.namespace) ? d.namespace : "",
      named: d.named.filter((s) => used.has(s.local)),
    };
    const sideEffect = !d.defaultName && !d.namespace && !d.braces;
    let changed = !sideEffect &&
      (kept.defaultName !== d.defaultName || kept.namespace !== d.namespace ||
        kept.named.length !== d.named.length);
    if (needImport && (d.from === modulePath || d.from.endsWith("/lib/module.ts")) && !kept.namespace) {
      if (kept.typeOnly) {
        kept.typeOnly = false;
        kept.named = kept.named.map((s) => ({ text: `type ${s.text}`, local: s.local }));
      }
      kept.named = _sortSpecifiers([...kept.named, {
        text: "NotImplementedError",
        local: "NotImplementedError",
      }]);
      needImport = false;
      changed = true;
    }
    if (!changed) continue;
    const empty = !kept.defaultName && !kept.namespace && kept.named.length === 0;
    replacements.set(d, empty ? null : _formatImport(kept));
  }

  // 5. Assemble the lines.
  const importAt = new Map<number, ImportDecl>();
  for (const d of replacements.keys()) importAt.set(lineOf(d.start) - 1, d);
  const lastImport = imports.filter((d) => !removedLine.has(lineOf(d.start) - 1)).at(-1);
  const tasks: StubTask[] = [];
  const out: string[] = [];
  const gaps: number[] = []; // indices in `out` where lines were removed
  const regionAt = new Map(regions.map((r) => [r.begin, r]));
  let skipThrough = -1; // the last line of a block or import already emitted
  const emitImport = () => {
    if (!needImport) return;
    out.push(`import { NotImplementedError } from "${modulePath}";`);
    needImport = false;
  };
  if (needImport && !lastImport) {
    // No import to follow: after the leading comments (the module doc), with a blank line.
    let k = 0;
    const firstCode = remaining.search(/\S/);
    const firstLine = firstCode < 0 ? lines.length : lineOf(firstCode) - 1;
    while (k < firstLine) out.push(lines[k++]);
    if (out.length > 0 && out[out.length - 1].trim() !== "") out.push("");
    emitImport();
    out.push("");
    gaps.push(out.length);
    for (; k < lines.length; k++) processLine(k);
  } else {
    for (let k = 0; k < lines.length; k++) processLine(k);
  }

  function processLine(k: number): void {
    if (k <= skipThrough) return;
    const region = regionAt.get(k);
    if (region) {
      const ind = region.indent;
      const hint = region.hint || `write ${region.task}`;
      out.push(`${ind}// TODO(${tag}): ${hint}`);
      if (region.voids.length > 0) {
        const what = region.voids.length === 1 ? region.voids[0] : `[${region.voids.join(", ")}]`;
        if (`${ind}void ${what};`.length <= LINE_WIDTH) {
          out.push(`${ind}void ${what}; // unused until you write this: delete this line with the throw`);
        } else {
          out.push(`${ind}// unused until you write this: delete these lines with the throw`, `${ind}void [`);
          out.push(...region.voids.map((v) => `${ind}  ${v},`), `${ind}];`);
        }
      }
      const call = `throw new NotImplementedError("${region.task}");`;
      if (ind.length + call.length <= LINE_WIDTH) out.push(`${ind}${call}`);
      else out.push(`${ind}throw new NotImplementedError(`, `${ind}  "${region.task}",`, `${ind});`);
      tasks.push({ task: region.task, hint: region.hint, line: region.begin + 1 });
      skipThrough = region.end;
      return;
    }
    const d = importAt.get(k);
    if (d) {
      const text = replacements.get(d);
      skipThrough = lineOf(d.end - 1) - 1;
      if (text === null) gaps.push(out.length);
      else out.push(...text!.split("\n"));
      if (lastImport === d) emitImport();
      return;
    }
    if (dropped.has(k)) {
      gaps.push(out.length);
      return;
    }
    out.push(lines[k]);
    if (lastImport && lineOf(lastImport.end - 1) - 1 === k) emitImport();
  }

  // Blank lines `deno fmt` would remove where lines were dropped: doubled, or at the edge of a block.
  for (const at of gaps.reverse()) {
    const prev = out[at - 1];
    const next = out[at];
    if (
      next !== undefined && next.trim() === "" &&
      (prev === undefined || prev.trim() === "" || /\{\s*$/.test(prev))
    ) {
      out.splice(at, 1);
    } else if (prev !== undefined && prev.trim() === "" && (next === undefined || /^\s*[}\]]/.test(next))) {
      out.splice(at - 1, 1);
    }
  }

  return { text: out.join("\n"), tasks, warnings };
}

/**
 * Marks `ignore` the `ts`/`js` code blocks of the JSDoc comments in `text`
 * for which `broken(code)` holds, so `deno test --doc` skips them.
 */
function _ignoreExamples(text: string, broken: (code: string) => boolean): string {
  let result = "";
  let at = 0;
  for (const c of _lex(text).comments) {
    if (!c.block || !text.startsWith("/**", c.start)) continue;
    const lines = text.slice(c.start, c.end).split("\n");
    let opening = -1;
    for (let k = 0; k < lines.length; k++) {
      const m = lines[k].match(/^(\s*\*?\s*)```(\S*)(.*)$/);
      if (!m) continue;
      if (opening < 0) {
        opening = k;
        continue;
      }
      const head = lines[opening].match(/^(\s*\*?\s*)```(\S*)(.*)$/)!;
      const code = lines.slice(opening + 1, k).map((l) => l.replace(/^\s*\*? ?/, "")).join("\n");
      if (
        /^(ts|typescript|js|javascript|tsx|jsx|mts|mjs)$/.test(head[2]) && !/\bignore\b/.test(head[3]) &&
        broken(code)
      ) {
        lines[opening] = `${head[1]}\`\`\`${head[2]} ignore${head[3]}`;
      }
      opening = -1;
    }
    result += text.slice(at, c.start) + lines.join("\n");
    at = c.end;
  }
  return result + text.slice(at);
}

/** The relative modules (`./x.ts`, `../lib/y.ts`) that `code` imports or re-exports. */
function _relativeImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
}

/** `spec` resolved against the file `from` (both relative to the tree's root, `/`-separated). */
function _resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of spec.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/**
 * Marks `ignore` every JSDoc example (in any file of the tree) that imports a
 * stubbed file, or a file that imports one: until the student writes the
 * code, such an example throws `NotImplementedError`. Examples that only use
 * worked examples, helpers and `lib/` keep running.
 */
function _ignoreStubbedExamples(files: LessonFile[]): void {
  const imports = new Map(files.map((f) => {
    let code = f.text;
    for (const c of _lex(f.text).comments) {
      code = code.slice(0, c.start) + " ".repeat(c.end - c.start) + code.slice(c.end);
    }
    return [f.path, _relativeImports(code).map((spec) => _resolve(f.path, spec))];
  }));
  const stubbed = new Set(files.filter((f) => f.tasks.length > 0).map((f) => f.path));
  for (let grew = true; grew;) {
    grew = false;
    for (const [path, deps] of imports) {
      if (!stubbed.has(path) && deps.some((d) => stubbed.has(d))) {
        stubbed.add(path);
        grew = true;
      }
    }
  }
  for (const f of files) {
    f.text = _ignoreExamples(
      f.text,
      (code) => _relativeImports(code).some((spec) => stubbed.has(_resolve(f.path, spec))),
    );
  }
}

// ---------------------------------------------------------------------------
// The tree.

/** A generated file of the lessons tree. */
export interface LessonFile extends StubResult {
  /** The path relative to `solutions/` and `lessons/`, with `/` separators. */
  path: string;
}

async function _walk(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix + entry.name;
    if (entry.isDirectory) found.push(...await _walk(`${dir}/${entry.name}`, `${rel}/`));
    else if (entry.isFile && rel.endsWith(".ts")) found.push(rel);
  }
  return found.sort();
}

/** Whether a file of `solutions/` stays out of `lessons/`: the reference tests. */
function _isTest(path: string): boolean {
  return /(?:^|[/_.])test\.ts$/.test(path);
}

/**
 * Every file `lessons/` should hold, generated from the `.ts` files of
 * `solutionsDir` (tests excluded), sorted by path. Throws the first
 * {@linkcode LessonMarkerError} met.
 */
export async function buildLessons(solutionsDir: string): Promise<LessonFile[]> {
  const files: LessonFile[] = [];
  for (const path of await _walk(solutionsDir)) {
    if (_isTest(path)) continue;
    const source = await Deno.readTextFile(`${solutionsDir}/${path}`);
    files.push({ path, ...makeStub(source, { file: path }) });
  }
  _ignoreStubbedExamples(files);
  return files;
}

/**
 * What differs between `files` and the stubs in `outDir`: paths that are
 * missing, differ, or are stale (a `.ts` stub with no solution; tests are not
 * counted). Empty when `outDir` is up to date.
 */
export async function compareLessons(
  files: readonly LessonFile[],
  outDir: string,
): Promise<{ path: string; problem: "missing" | "differs" | "stale" }[]> {
  const problems: { path: string; problem: "missing" | "differs" | "stale" }[] = [];
  for (const f of files) {
    let current: string | undefined;
    try {
      current = await Deno.readTextFile(`${outDir}/${f.path}`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (current === undefined) problems.push({ path: f.path, problem: "missing" });
    else if (current !== f.text) problems.push({ path: f.path, problem: "differs" });
  }
  const expected = new Set(files.map((f) => f.path));
  let present: string[] = [];
  try {
    present = await _walk(outDir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for (const path of present) {
    if (!expected.has(path) && !_isTest(path)) problems.push({ path, problem: "stale" });
  }
  return problems;
}

/** Warnings about the manifest: a worked example with TODOs, or a lesson to write without any. */
export function manifestWarnings(files: readonly LessonFile[]): string[] {
  const warnings: string[] = [];
  for (const lesson of LESSONS) {
    const f = files.find((x) => x.path === lesson.file);
    if (!f) warnings.push(`${lesson.file}: lesson "${lesson.name}" has no solution yet`);
    else if (lesson.given && f.tasks.length > 0) {
      warnings.push(`${lesson.file}: "${lesson.name}" is a worked example but has SOLUTION markers`);
    } else if (!lesson.given && f.tasks.length === 0) {
      warnings.push(`${lesson.file}: "${lesson.name}" is a lesson to write but has no SOLUTION markers`);
    }
  }
  return warnings;
}

const USAGE = `Usage: deno task make-lessons [--check] [--out DIR] [--solutions DIR]

Regenerates the lesson stubs from the reference solutions.

  --check          write nothing; exit 1 listing the stubs that differ from the solutions
  --out DIR        write the stubs to DIR (default: lessons/)
  --solutions DIR  read the solutions from DIR (default: solutions/)
  --help           show this help`;

/** The command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const root = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");
  let check = false;
  let outDir = `${root}/lessons`;
  let solutionsDir = `${root}/solutions`;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === "--check") check = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      return 0;
    } else if ((a === "--out" || a === "--solutions") && k + 1 < args.length) {
      if (a === "--out") outDir = args[++k];
      else solutionsDir = args[++k];
    } else if (a.startsWith("--out=")) outDir = a.slice(6);
    else if (a.startsWith("--solutions=")) solutionsDir = a.slice(12);
    else {
      console.error(`make-lessons: unknown argument "${a}"\n\n${USAGE}`);
      return 2;
    }
  }
  outDir = outDir.replace(/\/$/, "");
  solutionsDir = solutionsDir.replace(/\/$/, "");
  const cwd = Deno.cwd();
  const show = (dir: string) => dir.startsWith(`${cwd}/`) ? `${dir.slice(cwd.length + 1)}/` : dir;
  let files: LessonFile[];
  try {
    files = await buildLessons(solutionsDir);
  } catch (e) {
    if (e instanceof LessonMarkerError || e instanceof Deno.errors.NotFound) {
      console.error(`make-lessons: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const warnings = files.flatMap((f) => f.warnings);
  if (solutionsDir === `${root}/solutions`) warnings.push(...manifestWarnings(files));
  for (const w of warnings) console.error(`make-lessons: warning: ${w}`);
  const problems = await compareLessons(files, outDir);
  if (check) {
    if (problems.length === 0) {
      console.log(
        `make-lessons: ${show(outDir)} is up to date with ${show(solutionsDir)} (${files.length} files)`,
      );
      return 0;
    }
    console.error(`make-lessons: ${show(outDir)} is out of date with ${show(solutionsDir)}:`);
    for (const p of problems) console.error(`  ${p.path}: ${p.problem}`);
    console.error("Run `deno task make-lessons` to regenerate the stubs");
    return 1;
  }
  for (const p of problems) {
    if (p.problem === "stale") {
      await Deno.remove(`${outDir}/${p.path}`);
      console.log(`removed ${p.path} (no solution)`);
      continue;
    }
    const f = files.find((x) => x.path === p.path)!;
    const target = `${outDir}/${f.path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(target, f.text);
    const what = f.tasks.length > 0 ? `stub: ${f.tasks.map((t) => t.task).join(", ")}` : "copied";
    console.log(`wrote ${f.path} (${what})`);
  }
  console.log(
    `make-lessons: ${
      show(outDir)
    } is up to date (${files.length} files, ${problems.length} written or removed)`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
