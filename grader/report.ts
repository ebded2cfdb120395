/**
 * Renders a grading {@linkcode Report}: a header per lesson, one ✓/✗ line
 * per check with its points, failure details underneath, a summary table and
 * the total (chalk, respecting `NO_COLOR` and non-TTY output); or JSON.
 *
 * @module
 */

import { Chalk, type ChalkInstance } from "chalk";
import type { CheckResult, LessonResult, LessonStatus, Report } from "./results.ts";
import { LESSONS } from "./manifest.ts";

/** A chalk instance with colour only on a terminal and without `NO_COLOR`. */
export function makeChalk(color = Deno.stdout.isTerminal() && !Deno.noColor): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

const STATUS_COLOR: Record<LessonStatus, "green" | "red" | "yellow" | "gray" | "magenta"> = {
  "passed": "green",
  "failing": "yellow",
  "not started": "gray",
  "does not compile": "red",
  "timed out": "red",
  "rejected": "magenta",
};

function indent(text: string, by: string): string {
  return text.split("\n").map((l) => by + l).join("\n");
}

function checkLine(c: ChalkInstance, r: CheckResult, given: boolean): string {
  const mark = r.status === "passed" ? c.green("✓") : r.status === "not started" ? c.gray("·") : c.red("✗");
  const pts = given ? "" : ` ${c.gray(`${r.points}/${r.max}`)}`;
  const name = r.hidden ? `${r.name} ${c.gray("(hidden)")}` : r.name;
  let out = `  ${mark} ${name}${pts}`;
  if (r.status === "failed" || r.status === "error") {
    const detail = r.message ?? "";
    out += "\n" + indent(detail + (r.diagnosis ? ` — looks like ${r.diagnosis}` : ""), "      ");
    if (r.hint) out += "\n" + c.cyan(indent(`hint: ${r.hint}`, "      "));
  }
  return out;
}

/** One lesson's block: header and check lines. */
export function renderLesson(r: LessonResult, c: ChalkInstance = makeChalk()): string {
  const color = STATUS_COLOR[r.status];
  const file = relativeToCwd(r.file);
  const worth = r.given ? c.gray("worked example, 0 points") : `${r.score}/${r.max}`;
  const head = `${c.bold(r.lesson)} ${c.gray(`(${file})`)}  ${c[color](r.status)}  ${worth}`;
  const lines = [head];
  if (r.message) {
    lines.push(indent(r.message, "  "));
  } else if (r.status === "not started") {
    const first = r.checks.find((x) => x.status === "not started");
    lines.push(c.gray(`  ${first?.message ?? "not started"} (${r.checks.length} checks waiting)`));
    lines.push(c.gray(`  the guide: ${guideOf(r)}`));
  } else {
    for (const x of r.checks) lines.push(checkLine(c, x, r.given));
  }
  return lines.join("\n");
}

/** `path` relative to the working directory when it lies below it. */
function relativeToCwd(path: string): string {
  const cwd = Deno.cwd() + "/";
  return path.startsWith(cwd) ? path.slice(cwd.length) : path;
}

/** The guide beside a lesson's file (`lessons/linear.md`). */
function guideOf(r: LessonResult): string {
  const guide = LESSONS.find((l) => l.name === r.lesson)?.guide ?? `${r.lesson}.md`;
  const file = relativeToCwd(r.file);
  const slash = file.lastIndexOf("/");
  return slash === -1 ? guide : `${file.slice(0, slash + 1)}${guide}`;
}

/** The summary table and total. */
export function renderSummary(report: Report, c: ChalkInstance = makeChalk()): string {
  const w = Math.max(6, ...report.lessons.map((l) => l.lesson.length));
  const lines = [c.bold(`${"lesson".padEnd(w)}  ${"score".padStart(9)}  status`)];
  for (const l of report.lessons) {
    const score = (l.given ? "given" : `${l.score}/${l.max}`).padStart(9);
    lines.push(`${l.lesson.padEnd(w)}  ${score}  ${c[STATUS_COLOR[l.status]](l.status)}`);
  }
  const pct = report.max ? Math.round((1000 * report.score) / report.max) / 10 : 0;
  lines.push(c.bold(`${"total".padEnd(w)}  ${`${report.score}/${report.max}`.padStart(9)}  ${pct}%`));
  if (report.hiddenPending) {
    lines.push(`${report.hiddenPending} more points will be decided by hidden checks`);
  }
  const next = report.lessons.find((l) => l.status !== "passed");
  if (next) {
    lines.push(
      `next: ${c.bold(next.lesson)} — edit ${relativeToCwd(next.file)}, read ${guideOf(next)}, ` +
        `then deno task grade ${next.lesson} (or deno task watch)`,
    );
  }
  if (report.lessons.some((l) => l.given)) {
    lines.push(c.gray("worked examples (given) are graded so you see them pass, and count 0 points"));
  }
  const kind = report.mode === "official"
    ? "official grade at"
    : "self-grade (feedback, not the official grade),";
  lines.push(
    c.gray(`${kind} seed ${report.seed} (replay with --seed ${report.seed}), ${report.time.toFixed(1)} s`),
  );
  return lines.join("\n");
}

/** The machine-readable report: the run, each lesson, and every check flattened. */
export function toJson(report: Report): string {
  return JSON.stringify(
    {
      ...report,
      checks: report.lessons.flatMap((l) => l.checks),
    },
    null,
    2,
  );
}
