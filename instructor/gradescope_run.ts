/**
 * What `run_autograder` runs on Gradescope:
 * `gradescope_run.ts <submission dir> <results.json>`. Prepares the
 * submission like the batch grader does (only the student's lesson files,
 * the instructor's `mod.ts` and stubs for missing lessons), grades it
 * officially (a fresh seed, reference values from `solutions/` in a trusted
 * process, hidden checks included; `grader/SECURITY.md`), and writes
 * Gradescope's results. It always writes a results file: a refused
 * submission or a grader failure scores 0 with the reason in the output.
 *
 * @module
 */

import { LESSONS } from "../grader/manifest.ts";
import { printable } from "../grader/probes/printable.ts";
import { killAllOnSignals } from "../grader/sandbox/spawn.ts";
import { writeFileAtomic } from "../workflow/atomic_write.ts";
import type { GradeReport } from "../workflow/report.ts";
import { officialGrade } from "./official.ts";
import { toGradescope } from "./gradescope_results.ts";
import { prepareSubmission } from "./submission.ts";

/** Grades `submission` and writes Gradescope's results to `resultsPath`. */
export async function runGradescope(submission: string, resultsPath: string, kitRoot = "."): Promise<void> {
  const started = performance.now();
  const work = await Deno.makeTempDir({ prefix: "gradlings-gs-" });
  let report: GradeReport | undefined;
  let notes: string[] = [];
  let rejected: string | undefined;
  try {
    const prepared = await prepareSubmission(submission, work, {
      lessonFiles: LESSONS.map((l) => l.file),
      stubsDir: `${kitRoot}/lessons`,
    });
    notes = prepared.notes;
    report = await officialGrade({
      root: kitRoot,
      lessonsDir: prepared.lessonsDir,
      missing: prepared.missing,
    });
  } catch (e) {
    // A rejection quotes the submission's file names: escaped (grader/SECURITY.md).
    rejected = printable(String((e as Error)?.message));
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  const results = toGradescope(report, LESSONS, {
    notes,
    rejected,
    executionTime: (performance.now() - started) / 1000,
  });
  await writeFileAtomic(resultsPath, JSON.stringify(results, null, 2) + "\n");
  console.log(
    `score ${results.score}${rejected ? ` (not graded: ${rejected})` : ""}` +
      (report ? `, seed ${report.seed}` : ""),
  );
}

if (import.meta.main) {
  killAllOnSignals();
  if (Deno.args.length !== 2) {
    console.error("Usage: gradescope_run.ts <submission dir> <results.json>");
    Deno.exit(2);
  }
  await runGradescope(Deno.args[0], Deno.args[1]);
}
