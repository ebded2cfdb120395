/**
 * `await check("linear", Linear)`: the check cell of the notebook edition.
 * Runs the lesson's public checks on the class (or function) a notebook cell
 * just defined, in the kernel's own process
 * ({@linkcode checkInProcess}), and shows the result in the cell: each check
 * ✓/✗ with its points, and for a failure which tensor and index, got versus
 * expected, the seed, the likely mistake and a hint. The output is a Jupyter
 * MIME bundle with HTML and a plain-text twin.
 *
 * This is feedback, not the official grade: hidden checks, the sandbox and
 * the time limit only apply in `deno task grade --notebook FILE.ipynb` (and
 * in the instructor's batch grading), and the output says so.
 *
 * {@linkcode checkResult} returns the same as a {@linkcode CheckDisplay}, for
 * code that reads it.
 *
 * A stub that still throws `NotImplementedError` reads "not started", and a
 * wrong call (an unknown lesson, an instance instead of the class, nothing
 * at all) shows what was expected; `check` itself never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkResult } from "./check.ts";
 * import { ReLU } from "../lessons/relu.ts";
 * const shown = await checkResult("relu", ReLU);
 * assert.equal(shown.result?.status, "passed");
 * assert.match(shown.text, /^relu: passed \d+\/\d+/);
 * assert.match(shown.html, /not your official grade/);
 * ```
 *
 * @module
 */

import { checkInProcess } from "../grader/inprocess.ts";
import type { CheckResult, LessonResult, LessonStatus } from "../grader/results.ts";
import { findLesson, type Lesson } from "../grader/manifest.ts";
import { escapeHtml, Rich, show } from "./display.ts";

/** What {@linkcode check} shows: the rendering, and the grader's result when the checks ran. */
export class CheckDisplay extends Rich {
  /** The grader's result; undefined when the call itself was wrong (see {@linkcode problem}). */
  readonly result?: LessonResult;
  /** Why the checks could not run (a wrong call), when they could not. */
  readonly problem?: string;

  /** @param html the rendering; @param text its plain twin; @param result or @param problem */
  constructor(html: string, text: string, result?: LessonResult, problem?: string) {
    super(html, text);
    this.result = result;
    this.problem = problem;
  }
}

/** Options of {@linkcode check}. */
export interface CheckOptions {
  /** The seed of the checks' inputs: 7 (default), 11 or 23, the seeds the fixtures exist for. */
  seed?: number;
}

const OFFICIAL = "deno task grade --notebook notebooks/gradlings.ipynb";

function _describe(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "function") return `the function ${v.name || "(anonymous)"}`;
  if (typeof v === "object") {
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== "Object" ? `an instance of ${name}` : "an object";
  }
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

/** The exports to check: `{ Linear }` from `Linear`, or a record of them as given. */
function _exports(lesson: Lesson, exported: unknown): Record<string, unknown> {
  const name = lesson.exports[0];
  const usage = `check("${lesson.name}", ${name})`;
  if (typeof exported === "function") return { [name]: exported };
  if (typeof exported === "object" && exported !== null && typeof Object(exported)[name] === "function") {
    return exported as Record<string, unknown>;
  }
  throw new TypeError(
    `${usage}: expected ${name} itself (the ${
      /^[A-Z]/.test(name) ? "class" : "function"
    } the lesson's cell defines), received ${_describe(exported)}`,
  );
}

const COLOURS: Record<LessonStatus | "error", string> = {
  "passed": "#1a7f37",
  "failing": "#b35900",
  "not started": "#6e7781",
  "does not compile": "#cf222e",
  "timed out": "#cf222e",
  "rejected": "#8250df",
  "error": "#cf222e",
};

const BOX = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.45;" +
  "color:#1f2328;background:#f6f8fa;border:1px solid #d0d7de;border-left:4px solid {c};border-radius:6px;" +
  "padding:8px 12px;max-width:980px";

function _box(colour: string, inner: string): string {
  return `<div style="${BOX.replace("{c}", colour)}">${inner}</div>`;
}

function _badge(status: LessonStatus | "error"): string {
  return `<span style="background:${
    COLOURS[status]
  };color:#fff;border-radius:10px;padding:1px 8px;font-size:12px">${escapeHtml(status)}</span>`;
}

const _NOTE =
  `<div style="color:#57606a;font-size:12px;margin-top:6px">Feedback from the public checks, run in ` +
  `this notebook: <b>not your official grade</b>. The official grade adds hidden checks and runs your code ` +
  `sandboxed: <code style="white-space:nowrap">${OFFICIAL}</code></div>`;

/** `gradW at [1, 3]: got 0.42, expected 0.39 (rel. error …, seed 7)`, split for display. */
const VALUE_MESSAGE = /^(.+?)( at \[[^\]]*\])?: got (.+?), expected (.+?)( \(.*\))$/s;

/** Escaped text with its `code spans` set as code. */
function _prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code style="font-size:12px">$1</code>');
}

function _messageHtml(message: string): string {
  const m = VALUE_MESSAGE.exec(message);
  if (!m) return `<span style="font-family:monospace">${escapeHtml(message)}</span>`;
  const [, what, at, got, expected, detail] = m;
  const mono = (s: string, style = "") => `<code style="font-size:12px${style}">${escapeHtml(s)}</code>`;
  return `<b>${escapeHtml(what)}</b>${at ? ` at ${mono(at.slice(4))}` : ""}: got ${
    mono(got, ";color:#cf222e;font-weight:bold")
  }, expected ${mono(expected, ";color:#1a7f37;font-weight:bold")}<span style="color:#57606a">${
    escapeHtml(detail)
  }</span>`;
}

function _checkRow(c: CheckResult, repeated: boolean): string {
  const mark = c.status === "passed"
    ? `<span style="color:#1a7f37">✓</span>`
    : c.status === "not started"
    ? `<span style="color:#6e7781">·</span>`
    : `<span style="color:#cf222e">✗</span>`;
  const head = `<div>${mark} ${
    escapeHtml(c.name)
  } <span style="color:#57606a">${c.points}/${c.max}</span></div>`;
  if (c.status === "passed") return head;
  const details: string[] = [];
  if (repeated) details.push(`<span style="color:#57606a">the same as above</span>`);
  else {
    details.push(_messageHtml(c.message));
    if (c.diagnosis) details.push(`<div>→ looks like <b>${_prose(c.diagnosis)}</b></div>`);
    if (c.hint) details.push(`<div style="color:#0969da">hint: ${_prose(c.hint)}</div>`);
  }
  return `${head}<div style="margin:0 0 6px 18px">${details.join("")}</div>`;
}

function _title(lesson: Lesson, status: LessonStatus | "error", score: string): string {
  return `<div style="margin-bottom:4px"><b>Lesson ${lesson.order}, ${
    escapeHtml(lesson.title)
  }</b> <code>${lesson.name}</code> ${_badge(status)} <b>${score}</b></div>`;
}

/** The HTML of a result. */
function _html(lesson: Lesson, r: LessonResult): string {
  const rows: string[] = [_title(lesson, r.status, `${r.score}/${r.max}`)];
  if (r.status === "not started") {
    const first = r.checks.find((c) => c.status === "not started");
    rows.push(
      `<div>Not started: ${escapeHtml(first?.message ?? "nothing written yet")}. ${r.checks.length} checks ` +
        `are waiting: write the TODOs in the cell above, run it, then run this cell again.</div>`,
    );
  } else {
    const failed = r.checks.filter((c) => c.status !== "passed");
    const passed = r.checks.filter((c) => c.status === "passed");
    const seen = new Set<string>();
    for (const c of failed) {
      rows.push(_checkRow(c, seen.has(c.message)));
      seen.add(c.message);
    }
    if (passed.length > 0) {
      const list = passed.map((c) => _checkRow(c, false)).join("");
      rows.push(
        failed.length === 0
          ? `<details><summary>all ${passed.length} checks passed (${r.max} points, seed ${
            r.checks[0]?.seed ?? ""
          }): click to see them</summary>${list}</details>`
          : `<details><summary>${passed.length} more checks passed</summary>${list}</details>`,
      );
    }
  }
  rows.push(_NOTE);
  return _box(COLOURS[r.status], rows.join(""));
}

/** The plain-text twin of {@linkcode _html}. */
function _text(lesson: Lesson, r: LessonResult): string {
  const lines = [`${lesson.name}: ${r.status} ${r.score}/${r.max} (lesson ${lesson.order}, ${lesson.title})`];
  if (r.status === "not started") {
    const first = r.checks.find((c) => c.status === "not started");
    lines.push(
      `  not started: ${first?.message ?? "nothing written yet"} (${r.checks.length} checks waiting)`,
    );
  } else {
    const seen = new Set<string>();
    for (
      const c of [...r.checks].sort((a, b) => Number(a.status === "passed") - Number(b.status === "passed"))
    ) {
      const mark = c.status === "passed" ? "✓" : c.status === "not started" ? "·" : "✗";
      lines.push(`  ${mark} ${c.name} ${c.points}/${c.max}`);
      if (c.status === "passed") continue;
      if (seen.has(c.message)) {
        lines.push("      the same as above");
        continue;
      }
      seen.add(c.message);
      lines.push(`      ${c.message}${c.diagnosis ? ` — looks like ${c.diagnosis}` : ""}`);
      if (c.hint) lines.push(`      hint: ${c.hint}`);
    }
  }
  lines.push(`Feedback from the public checks, not your official grade (that is: ${OFFICIAL})`);
  return lines.join("\n");
}

function _problem(lesson: Lesson | undefined, message: string): CheckDisplay {
  const title = lesson ? _title(lesson, "error", "") : "";
  const html = _box(
    COLOURS.error,
    `${title}<div><b>The check could not run:</b> ${escapeHtml(message)}</div>`,
  );
  return new CheckDisplay(html, `check could not run: ${message}`, undefined, message);
}

/**
 * Runs `lesson`'s public checks on `exported` (the class or function the
 * lesson's cell defines, e.g. `Linear`; or a record such as `{ Linear }`)
 * and returns what the check cell shows. Never throws: a wrong call shows
 * what was expected instead.
 */
export async function checkResult(
  lesson: string,
  exported: unknown,
  options: CheckOptions = {},
): Promise<CheckDisplay> {
  let info: Lesson;
  try {
    info = findLesson(lesson);
  } catch (e) {
    return _problem(undefined, (e as Error).message);
  }
  try {
    const result = await checkInProcess(info.name, _exports(info, exported), { seed: options.seed });
    return new CheckDisplay(_html(info, result), _text(info, result), result);
  } catch (e) {
    return _problem(info, (e as Error).message);
  }
}

/**
 * The check cell's call: {@linkcode checkResult}, shown in the cell (printed
 * outside Jupyter). Never throws.
 */
export async function check(lesson: string, exported: unknown, options: CheckOptions = {}): Promise<void> {
  await show(await checkResult(lesson, exported, options));
}
