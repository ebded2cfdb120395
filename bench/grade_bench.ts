/**
 * `deno task bench grade`: how long grading takes, as people run it, each the
 * whole command in its own process after a warm-up (type-check cache warm),
 * median of several runs:
 *
 * - a student's self-grade in a released copy (no solutions, no hidden checks)
 *   whose lessons are all written (the reference's files): every lesson, and
 *   one (linear) — targets < 5 s and < 1 s;
 * - the instructor's copy (hidden checks: their reference values come from
 *   `solutions/` in a trusted process): every lesson, and linear;
 * - an official grade of one submission (`deno task grade --official`: a fresh
 *   seed, every reference value from `solutions/`, hidden checks in children
 *   of their own), every lesson.
 *
 * Exits 1 when a target is missed.
 *
 * @example
 * ```ts ignore
 * // deno task bench grade           5 runs each
 * // deno task bench grade --runs 3
 * ```
 *
 * @module
 */

import { dirname, join } from "node:path";
import { release } from "../instructor/release.ts";
import { LESSONS } from "../grader/manifest.ts";
import { median } from "./_median.ts";

const KIT = join(dirname(new URL(import.meta.url).pathname), "..");
const GRADE = [
  "run",
  "--allow-read",
  "--allow-run",
  "--allow-env",
  "--allow-write=.gradlings",
  "grader/main.ts",
  "--json",
];

/** Runs `grader/main.ts` in `cwd` with `args` once; returns seconds and the report's score. */
async function once(cwd: string, args: string[]): Promise<{ seconds: number; score: string }> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...GRADE, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) throw new Error(`grade failed: ${new TextDecoder().decode(out.stderr)}`);
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  return { seconds, score: `${report.score}/${report.max}` };
}

/** A released student copy whose lessons are the reference's files (a student who finished). */
async function finishedStudentCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gradlings-bench-student-" });
  await release(KIT, dir, { checkStubs: false, grade: false, force: true });
  for (const l of LESSONS) await Deno.copyFile(join(KIT, "solutions", l.file), join(dir, "lessons", l.file));
  return dir;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--runs");
  const runs = at >= 0 ? Number(Deno.args[at + 1]) : 5;
  const student = await finishedStudentCopy();
  const cases: [string, string, string[], number | undefined][] = [
    ["student copy, every lesson", student, [], 5],
    ["student copy, one lesson (linear)", student, ["linear"], 1],
    ["instructor copy, every lesson", KIT, ["--solutions"], undefined],
    ["instructor copy, linear (hidden)", KIT, ["--solutions", "linear"], undefined],
    ["official, one submission", KIT, ["--solutions", "--official"], undefined],
  ];
  console.log(`grading finished lessons, ${runs} runs each after a warm-up (median, whole command)`);
  let missed = 0;
  try {
    for (const [label, cwd, args, target] of cases) {
      await once(cwd, args);
      const times: number[] = [];
      let score = "";
      for (let i = 0; i < runs; i++) {
        const r = await once(cwd, args);
        times.push(r.seconds);
        score = r.score;
      }
      const m = median(times);
      const verdict = target === undefined
        ? ""
        : m < target
        ? `; target < ${target} s: ok`
        : `; target < ${target} s: MISSED`;
      if (target !== undefined && m >= target) missed++;
      console.log(
        `${label.padEnd(34)} ${m.toFixed(2)} s  (min ${Math.min(...times).toFixed(2)}, max ${
          Math.max(...times).toFixed(2)
        }${verdict}; score ${score})`,
      );
    }
  } finally {
    await Deno.remove(student, { recursive: true });
  }
  if (missed) Deno.exit(1);
}
