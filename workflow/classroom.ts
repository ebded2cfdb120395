/**
 * The grading step of `.github/workflows/classroom.yml`: grades every lesson
 * and hands the points to GitHub Classroom's reporter
 * (`classroom-resources/autograding-grading-reporter`), which reads a
 * base64-encoded JSON result per runner from the environment variable
 * `<RUNNER>_RESULTS` and posts `Points <earned>/<max>` on the check run that
 * Classroom reads.
 *
 * Run in a workflow it writes `result=<base64>` to `$GITHUB_OUTPUT`; anywhere
 * else it prints the decoded JSON, so the command can be tried locally:
 * `deno run --allow-read --allow-run --allow-env --allow-write workflow/classroom.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toClassroom } from "./classroom.ts";
 * import { normalizeReport } from "./report.ts";
 * const report = normalizeReport({ lessons: [{ lesson: "relu", status: "passed", checks: [
 *   { id: "fwd", name: "forward", points: 2, max: 2, status: "passed" },
 * ] }] });
 * const r = toClassroom(report);
 * assert.equal(r.max_score, 2);
 * assert.deepEqual(r.tests.map((t) => [t.name, t.status, t.score]), [["relu: forward", "pass", 2]]);
 * ```
 *
 * @module
 */

import { checkFeedback, grade, type GradeReport } from "./report.ts";
import { writeFileAtomic } from "./atomic_write.ts";

/** One test in the reporter's format. */
export interface ClassroomTest {
  /** Shown in the workflow log. */
  name: string;
  /** `pass`, `fail` or `error`. */
  status: "pass" | "fail" | "error";
  /** Points earned (the reporter adds these up). */
  score: number;
  /** Why it failed. */
  message: string;
  /** Shown under the test: the command that reproduces it. */
  test_code: string;
  /** The student's file. */
  filename: string;
  /** Unused (0). */
  line_no: number;
  /** Seconds. */
  execution_time: string;
}

/** The reporter's per-runner result. */
export interface ClassroomResult {
  /** Format version (1). */
  version: 1;
  /** `pass` when every test passed. */
  status: "pass" | "fail" | "error";
  /** Points possible. */
  max_score: number;
  /** The tests. */
  tests: ClassroomTest[];
}

/** The reporter's result for a grading run: one test per check (per lesson when it has none). */
export function toClassroom(report: GradeReport): ClassroomResult {
  const tests: ClassroomTest[] = [];
  for (const l of report.lessons) {
    const base = { filename: `lessons/${l.lesson}.ts`, line_no: 0, test_code: `deno task grade ${l.lesson}` };
    if (l.checks.length === 0) {
      tests.push({
        ...base,
        name: `${l.lesson}: ${l.status}`,
        status: l.status === "passed"
          ? "pass"
          : l.status === "not started" || l.status === "failing"
          ? "fail"
          : "error",
        score: l.points,
        message: l.message || l.status,
        execution_time: "0s",
      });
    }
    for (const c of l.checks) {
      tests.push({
        ...base,
        name: `${l.lesson}: ${c.name}`,
        status: c.status === "passed" ? "pass" : "fail",
        score: c.points,
        message: checkFeedback(c),
        execution_time: `${c.time.toFixed(2)}s`,
      });
    }
  }
  return {
    version: 1,
    status: tests.every((t) => t.status === "pass") ? "pass" : "fail",
    max_score: report.lessons.reduce((s, l) => s + l.max, 0),
    tests,
  };
}

/** Base64 of the UTF-8 JSON, as the reporter decodes it. */
export function encodeResult(result: ClassroomResult): string {
  const bytes = new TextEncoder().encode(JSON.stringify(result));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

if (import.meta.main) {
  const report = await grade({ lessons: Deno.args.filter((a) => !a.startsWith("-")) });
  const result = toClassroom(report);
  const earned = result.tests.reduce((s, t) => s + t.score, 0);
  const out = Deno.env.get("GITHUB_OUTPUT");
  if (out) {
    const previous = await Deno.readTextFile(out).catch(() => "");
    await writeFileAtomic(out, `${previous}result=${encodeResult(result)}\n`);
  } else {
    console.log(JSON.stringify(result, null, 2));
  }
  console.log(`Points ${earned}/${result.max_score}`);
}
