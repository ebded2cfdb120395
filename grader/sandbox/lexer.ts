/**
 * The one TypeScript lexer of the kit: splits source into spans of code,
 * string literals, template-literal chunks, regex literals and comments, so
 * that callers can read the code without being fooled by an `import(` or a
 * `{` inside a string or a comment. It is shared by the grader's import check
 * (`imports.ts`: the clear early message for an import that leaves the lessons) and the stub generator
 * (`instructor/make_lessons.ts`).
 *
 * A `/` starts a regex literal where an expression may start: at the
 * beginning, after a punctuator other than `)` and `]`, after a `${`, after a
 * `}` that closes a block (not an object literal), and after one of the
 * keywords in {@linkcode REGEX_AFTER_WORD}; after an identifier, a number or a
 * literal it is a division. Whether a `{` opens a block or an object literal is
 * read from what precedes it ({@linkcode opensBlock}), as a parser would:
 * `if (a) {} /"/; import(x) //"` runs `import(x)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scan } from "./lexer.ts";
 * const kinds = scan('x = "a" / 2; // c').map((s) => s.kind);
 * assert.deepEqual(kinds, ["code", "string", "code", "comment"]);
 * ```
 *
 * @module
 */

/** What a span of source is. */
export type SpanKind = "code" | "string" | "template" | "regex" | "comment";

/**
 * A run of source `[start, end)`. The spans of a source tile it: each starts
 * where the previous one ends. `open` and `close` are the delimiters as
 * written (`""` for code, and `close` is `""` when the literal or comment is
 * not closed), so the body is `src.slice(start + open.length, end - close.length)`.
 */
export interface Span {
  readonly kind: SpanKind;
  /** Index of the first character. */
  readonly start: number;
  /** Index after the last character. */
  readonly end: number;
  /**
   * The opening delimiter: a quote; `` ` `` for a template's first chunk, `}`
   * for a chunk after a substitution; `/`; `//`, `/*` or a hashbang's `#!`.
   */
  readonly open: string;
  /**
   * The closing delimiter: the quote; `` ` `` for a template's last chunk,
   * `${` before a substitution; `/` with the flags; `*` then `/` (line comments: `""`).
   */
  readonly close: string;
}

/** The keywords after which an expression (so a regex literal) may start. */
export const REGEX_AFTER_WORD: ReadonlySet<string> = new Set([
  "return",
  "typeof",
  "instanceof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
]);

/** Keywords after which a `{` starts an expression (an object literal), unless a newline intervenes after `return`/`yield`. */
const OBJECT_AFTER_WORD: ReadonlySet<string> = new Set([
  "return",
  "typeof",
  "instanceof",
  "case",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
]);

/**
 * True when a `{` opens a block (statement position, a function or class
 * body) rather than an object literal, judged from the token before it:
 * `prev`/`prevWord` as the lexer keeps them, `newlineBefore` when a line break
 * separates them, `arrow` when the previous punctuator ends a `=>`, and
 * `insideObject` when the enclosing brace is an object literal (so `a: {` is a
 * property value, not a label).
 */
export function opensBlock(
  prev: "start" | "literal" | "word" | "punct",
  prevWord: string,
  newlineBefore: boolean,
  arrow: boolean,
  insideObject: boolean,
): boolean {
  if (prev === "start" || prev === "literal") return true;
  if (prev === "word") {
    // `return\n{` is `return;` then a block (automatic semicolon insertion).
    if ((prevWord === "return" || prevWord === "yield") && newlineBefore) return true;
    return !OBJECT_AFTER_WORD.has(prevWord);
  }
  if (prevWord === ")" || prevWord === ";" || prevWord === "{" || prevWord === "}") return true;
  if (prevWord === ">" && arrow) return true;
  if (prevWord === ":") return !insideObject;
  return false;
}

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/**
 * Deeper bracket nesting than anyone writes, and where TypeScript's parser
 * (`deno check`, the notebook reader) starts to take exponential time on
 * some nestings (`async (async (…))`).
 */
export const MAX_NESTING = 40;

/** The deepest nesting of brackets in `src`, strings and comments aside (linear time). */
export function maxNesting(src: string): number {
  let depth = 0;
  let max = 0;
  for (const span of scan(src)) {
    if (span.kind !== "code") continue;
    for (let i = span.start; i < span.end; i++) {
      const c = src[i];
      if (c === "(" || c === "[" || c === "{") max = Math.max(max, ++depth);
      else if (c === ")" || c === "]" || c === "}") depth--;
    }
  }
  return max;
}

/** Splits `src` into spans of code, strings, template chunks, regex literals and comments. */
export function scan(src: string): Span[] {
  const spans: Span[] = [];
  const n = src.length;
  let codeStart = 0;
  const push = (kind: SpanKind, start: number, end: number, open: string, close: string): void => {
    if (codeStart < start) spans.push({ kind: "code", start: codeStart, end: start, open: "", close: "" });
    spans.push({ kind, start, end, open, close });
    codeStart = end;
  };
  // What came last, for regex-vs-division: nothing, a literal (string, template, regex or number),
  // a word (prevWord), or a punctuator (prevWord holds it).
  let prev: "start" | "literal" | "word" | "punct" = "start";
  let prevWord = "";
  let prevEnd = 0; // where the previous token ended, to see a line break before the next
  const braces: boolean[] = []; // for each open `{`: true for a block, false for an object literal
  let closedBlock = true; // the last `}` closed a block
  const templateDepths: number[] = []; // brace depth at each open `${`
  let depth = 0;

  // A template chunk from `from` (a backtick or the `}` closing a substitution); returns its end.
  const template = (from: number): number => {
    let k = from + 1;
    while (k < n) {
      const c = src[k];
      if (c === "\\") k += 2;
      else if (c === "`") {
        push("template", from, k + 1, src[from], "`");
        prev = "literal";
        return k + 1;
      } else if (c === "$" && src[k + 1] === "{") {
        push("template", from, k + 2, src[from], "${");
        templateDepths.push(depth);
        depth++;
        prev = "punct";
        prevWord = "${";
        return k + 2;
      } else k++;
    }
    push("template", from, n, src[from], "");
    prev = "literal";
    return n;
  };

  const regexAllowed = (): boolean => {
    if (prev === "start") return true;
    if (prev === "literal") return false;
    if (prev === "word") return REGEX_AFTER_WORD.has(prevWord);
    if (prevWord === "}") return closedBlock;
    return !(prevWord === ")" || prevWord === "]");
  };

  let i = 0;
  // A hashbang line is a comment to JavaScript: `#! /*` must not open a block comment.
  if (src.startsWith("#!")) {
    const end = src.indexOf("\n") < 0 ? n : src.indexOf("\n");
    push("comment", 0, end, "#!", "");
    i = end;
  }
  while (i < n) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      let k = src.indexOf("\n", i);
      if (k < 0) k = n;
      push("comment", i, k, "//", "");
      i = k;
    } else if (c === "/" && src[i + 1] === "*") {
      const k = src.indexOf("*/", i + 2);
      push("comment", i, k < 0 ? n : k + 2, "/*", k < 0 ? "" : "*/");
      i = k < 0 ? n : k + 2;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < n && src[k] !== c && src[k] !== "\n") k += src[k] === "\\" ? 2 : 1;
      k = Math.min(k, n);
      const closed = src[k] === c;
      push("string", i, closed ? k + 1 : k, c, closed ? c : "");
      i = closed ? k + 1 : k;
      prev = "literal";
    } else if (c === "`") {
      i = template(i);
    } else if (c === "/" && regexAllowed()) {
      let k = i + 1;
      let inClass = false;
      while (k < n && src[k] !== "\n") {
        const d = src[k];
        if (d === "\\") {
          if (src[k + 1] === "\n" || k + 1 >= n) break;
          k += 2;
          continue;
        }
        if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        k++;
      }
      if (src[k] === "/") {
        let f = k + 1;
        while (f < n && ID_PART.test(src[f])) f++;
        push("regex", i, f, "/", src.slice(k, f));
        i = f;
      } else {
        push("regex", i, k, "/", "");
        i = k;
      }
      prev = "literal";
    } else if (
      c === "}" && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth - 1
    ) {
      templateDepths.pop();
      depth--;
      i = template(i);
    } else if (ID_START.test(c)) {
      let k = i + 1;
      while (k < n && ID_PART.test(src[k])) k++;
      prev = "word";
      prevWord = src.slice(i, k);
      prevEnd = k;
      i = k;
    } else if (c >= "0" && c <= "9") {
      let k = i + 1;
      while (k < n && /[\w.]/.test(src[k])) k++;
      prev = "literal";
      i = k;
    } else {
      if (c === "{") {
        depth++;
        const arrow = prevWord === ">" && src[prevEnd - 2] === "=";
        const newline = src.slice(prevEnd, i).includes("\n");
        const insideObject = braces.length > 0 && !braces[braces.length - 1];
        braces.push(opensBlock(prev, prevWord, newline, arrow, insideObject));
      } else if (c === "}") {
        depth--;
        closedBlock = braces.pop() ?? true;
      }
      if (!/\s/.test(c)) {
        prev = "punct";
        prevWord = c;
        prevEnd = i + 1;
      }
      i++;
    }
  }
  if (codeStart < n) spans.push({ kind: "code", start: codeStart, end: n, open: "", close: "" });
  return spans;
}

/** A string literal's value as the lexer reads it: each `\x` becomes `x` (enough for import specifiers). */
export function unescapeSimple(body: string): string {
  let text = "";
  for (let k = 0; k < body.length; k++) {
    if (body[k] === "\\") {
      k++;
      text += body[k] ?? "";
    } else text += body[k];
  }
  return text;
}
