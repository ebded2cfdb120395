/**
 * `deno task list`: a table of every lesson (order, name, status, points,
 * file) from a fresh grading run, then the overall progress.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lessonTable } from "./list.ts";
 * import { normalizeReport } from "./report.ts";
 * const report = normalizeReport({ lessons: [{ lesson: "relu", status: "passed", score: 4, max: 4 }] });
 * const table = lessonTable(report, [{ order: 1, name: "relu", file: "relu.ts" }], { color: false });
 * assert.match(table, /1 +relu +✓ passed +4\/4 +lessons\/relu.ts/);
 * ```
 *
 * @module
 */

import chalk from "chalk";
import { type Lesson, LESSONS } from "../grader/manifest.ts";
import { lessonResult, progressLine, summarize } from "./progress.ts";
import { grade, type GradeReport, type LessonStatus } from "./report.ts";

const MARKS: Record<LessonStatus, string> = {
  "passed": "✓",
  "failing": "✗",
  "not started": "·",
  "does not compile": "!",
  "timed out": "⧗",
  "rejected": "!",
};

/** Colours a status word (or any text) by status. */
export function paintStatus(status: LessonStatus, text: string): string {
  switch (status) {
    case "passed":
      return chalk.green(text);
    case "failing":
      return chalk.yellow(text);
    case "not started":
      return chalk.dim(text);
    default:
      return chalk.red(text);
  }
}

function _pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

function _pts(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The lessons table (one row per lesson, teaching order) with a progress line under it. */
export function lessonTable(
  report: GradeReport,
  lessons: readonly Pick<Lesson, "order" | "name" | "file">[],
  options: { color?: boolean; current?: string } = {},
): string {
  const paint = options.color === false ? (_s: LessonStatus, t: string) => t : paintStatus;
  const nameWidth = Math.max(6, ...lessons.map((l) => l.name.length));
  const head = `  ${_pad("#", 3)} ${_pad("lesson", nameWidth)}  ${_pad("status", 18)} ${
    _pad("points", 9)
  } file`;
  const rows = lessons.map((l) => {
    const r = lessonResult(report, l.name);
    const status: LessonStatus = r?.status ?? "not started";
    const pts = r ? (r.given ? "given" : `${_pts(r.points)}/${_pts(r.max)}`) : "-";
    const here = options.current === l.name ? "▶" : " ";
    return `${here} ${_pad(String(l.order), 3)} ${_pad(l.name, nameWidth)}  ${
      paint(status, _pad(`${MARKS[status]} ${status}`, 18))
    } ${_pad(pts, 9)} lessons/${l.file}`;
  });
  const lines = [
    options.color === false ? head : chalk.bold(head),
    ...rows,
    "",
    progressLine(summarize(report, lessons)),
  ];
  if (report.hiddenPending > 0) {
    lines.push(
      `${_pts(report.hiddenPending)} more points are decided by hidden checks when your instructor grades`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  try {
    const report = await grade();
    console.log(lessonTable(report, LESSONS, { color: !Deno.noColor && Deno.stdout.isTerminal() }));
  } catch (e) {
    console.error(chalk.red((e as Error).message));
    Deno.exit(1);
  }
}
