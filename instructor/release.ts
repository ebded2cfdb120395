/**
 * `deno task release <dir> [--force] [--no-grade]`: builds the student copy
 * of the kit in `<dir>`, then grades the fresh copy once to prove it works.
 *
 * In: `lib/`, `lessons/` (the stubs and guides, checked in sync with the
 * solutions first), `grader/` without its hidden checks, `data/`, `train/`,
 * `workflow/` (with `workflow/stubs/`, the pristine stubs `reset` restores),
 * the GitHub Classroom workflow, `deno.json` without the instructor tasks,
 * `deno.lock`, `.gitignore` and the student README
 * (`instructor/student_readme.md`). Out: `solutions/`, `instructor/` (the
 * generator, batch grading, Gradescope), `testing/`, `bench/`, anything
 * hidden, and every test that imports what is left out.
 *
 * It refuses a non-empty `<dir>` unless `--force`, which empties it but keeps
 * its `.git` (so a release can be committed over the previous one).
 *
 * @module
 */

import { LESSONS, lessonsTable } from "../grader/manifest.ts";
import { hasHidden, loadSpec } from "../grader/specs/mod.ts";
import { grade, type GradeReport } from "../workflow/report.ts";

/** Top-level entries copied into the release (when present). */
export const INCLUDED = [
  "SPEC.md",
  "lib",
  "lessons",
  "grader",
  "data",
  "train",
  "workflow",
  "notebook",
  "notebooks",
  ".github/workflows/classroom.yml",
  "deno.lock",
  ".gitignore",
];

/** Tasks that only make sense in the instructor's kit. */
export const INSTRUCTOR_TASKS = [
  "make-lessons",
  "make-notebooks",
  "make-fixtures",
  "release",
  "grade-batch",
  "gradescope",
  "bench",
  // The kit's own checks: they lint and test the instructor's tree, not a student's.
  "test",
  "train-check",
];

/** Folders whose code never ships; a file importing from them is left out too. */
const PRIVATE_DIRS = ["solutions", "instructor", "testing", "bench", "grader/testdata", "notebook/testdata"];

/** Files that never ship: the notebook edition with the reference solutions. */
const PRIVATE_FILES = ["notebooks/gradlings_solutions.ipynb"];

/**
 * True for a path (relative, with `/`) that must not be in the release: hidden
 * checks, private folders, and the kit's own tests (they prove the kit to its
 * maintainers; a student copy has no solutions for them to run against).
 */
export function isHiddenPath(rel: string): boolean {
  const parts = rel.split("/");
  return parts.some((p) => /hidden/i.test(p)) || parts.includes("node_modules") ||
    parts.includes(".gradlings") || rel.endsWith("_test.ts") ||
    PRIVATE_DIRS.some((dir) => rel === dir || rel.startsWith(`${dir}/`)) || PRIVATE_FILES.includes(rel);
}

/** True when TypeScript `code` at `rel` imports from a folder that does not ship. */
export function importsPrivate(rel: string, code: string): boolean {
  const depth = rel.split("/").length - 1;
  for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    const spec = m[1];
    if (!spec.startsWith(".")) continue;
    const parts = rel.split("/").slice(0, depth);
    for (const seg of spec.split("/")) {
      if (seg === "..") parts.pop();
      else if (seg !== ".") parts.push(seg);
    }
    if (isHiddenPath(parts.join("/"))) return true;
  }
  return false;
}

async function _isEmpty(dir: string): Promise<boolean> {
  try {
    for await (const e of Deno.readDir(dir)) if (e.name !== ".git") return false;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return true;
    throw e;
  }
  return true;
}

async function _copyTree(from: string, to: string, rel: string, left: string[]): Promise<void> {
  const info = await Deno.lstat(from);
  if (isHiddenPath(rel)) {
    left.push(rel);
    return;
  }
  if (info.isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const e of Deno.readDir(from)) {
      await _copyTree(`${from}/${e.name}`, `${to}/${e.name}`, `${rel}/${e.name}`, left);
    }
  } else if (info.isFile) {
    if (rel.endsWith(".ts") && importsPrivate(rel, await Deno.readTextFile(from))) {
      left.push(rel);
      return;
    }
    await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(from, to);
  }
}

async function _tsFiles(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory && e.name !== ".git") out.push(...await _tsFiles(root, path));
    else if (e.isFile && e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/**
 * Removes, until none is left, every `.ts` file of the release that imports a
 * relative path the release does not have (a helper of a left-out test, say).
 */
async function _pruneBroken(out: string, left: string[]): Promise<void> {
  for (let changed = true; changed;) {
    changed = false;
    for (const rel of await _tsFiles(out)) {
      const code = await Deno.readTextFile(`${out}/${rel}`);
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"'$`]+)["']/g)) {
        const target = new URL(m[1], `file:///r/${rel}`).pathname.slice(3);
        try {
          await Deno.lstat(`${out}/${target}`);
        } catch {
          await Deno.remove(`${out}/${rel}`);
          left.push(`${rel} (imports ${target}, which does not ship)`);
          changed = true;
          break;
        }
      }
    }
  }
}

/** What a release did. */
export interface ReleaseResult {
  /** Paths left out because they are hidden or import what does not ship. */
  leftOut: string[];
  /** The self-check's grading report (undefined with `grade: false`). */
  report?: GradeReport;
  /** Problems found by the self-check (empty when the copy works). */
  problems: string[];
}

/**
 * Builds the student copy of the kit at `kitRoot` into `out`; see the module
 * doc. Throws a `RangeError` for a non-empty `out` without `force`.
 */
export async function release(
  kitRoot: string,
  out: string,
  options: { force?: boolean; grade?: boolean; checkStubs?: boolean } = {},
): Promise<ReleaseResult> {
  if (!(await _isEmpty(out))) {
    if (!options.force) {
      throw new RangeError(
        `Cannot release into ${out}: the folder is not empty (add --force to replace its content)`,
      );
    }
    for await (const e of Deno.readDir(out)) {
      if (e.name !== ".git") await Deno.remove(`${out}/${e.name}`, { recursive: true });
    }
  }
  if (options.checkStubs !== false) {
    const check = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-read", "--allow-write", "instructor/make_lessons.ts", "--check"],
      cwd: kitRoot,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!check.success) {
      const why = new TextDecoder().decode(check.stdout) + new TextDecoder().decode(check.stderr);
      throw new Error(
        `The stubs in lessons/ differ from solutions/: run deno task make-lessons first\n${why.trim()}`,
      );
    }
  }
  await Deno.mkdir(out, { recursive: true });
  const leftOut: string[] = [];
  for (const entry of INCLUDED) {
    try {
      await Deno.lstat(`${kitRoot}/${entry}`);
    } catch {
      continue;
    }
    await _copyTree(`${kitRoot}/${entry}`, `${out}/${entry}`, entry, leftOut);
  }
  await _pruneBroken(out, leftOut);
  await Deno.remove(`${out}/workflow/stubs`, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${out}/workflow/stubs`, { recursive: true });
  for await (const e of Deno.readDir(`${kitRoot}/lessons`)) {
    if (e.isFile && e.name.endsWith(".ts")) {
      await Deno.copyFile(`${kitRoot}/lessons/${e.name}`, `${out}/workflow/stubs/${e.name}`);
    }
  }

  const config = JSON.parse(await Deno.readTextFile(`${kitRoot}/deno.json`));
  for (const t of INSTRUCTOR_TASKS) delete config.tasks?.[t];
  await Deno.writeTextFile(`${out}/deno.json`, JSON.stringify(config, null, 2) + "\n");
  const readme = await Deno.readTextFile(new URL("./student_readme.md", import.meta.url));
  await Deno.writeTextFile(`${out}/README.md`, readme.replace("{{LESSONS}}", lessonsTable("lessons/")));

  // The release drops grader/hidden/; it keeps how many points those checks are
  // worth per lesson, so a student's `grade` can say how many are still to be decided.
  await Deno.writeTextFile(
    `${out}/grader/hidden_points.json`,
    JSON.stringify(await hiddenPoints(), null, 2) + "\n",
  );

  const problems: string[] = [];
  for (const gone of ["solutions", "instructor", "testing", "grader/hidden"]) {
    try {
      await Deno.lstat(`${out}/${gone}`);
      problems.push(`${gone} is in the release`);
    } catch { /* absent, as it should be */ }
  }
  let report: GradeReport | undefined;
  if (options.grade !== false) {
    report = await grade({ root: out });
    // The self-check leaves the grader's caches behind; the copy should start as clean as it was built.
    await Deno.remove(`${out}/.gradlings`, { recursive: true }).catch(() => {});
    for (const l of LESSONS) {
      const r = report.lessons.find((x) => x.lesson === l.name);
      const expected = l.given ? "passed" : "not started";
      if (!r) problems.push(`${l.name} was not graded`);
      else if (r.status !== expected) {
        problems.push(
          `${l.name} is "${r.status}" in the fresh copy, expected "${expected}"${
            r.message ? `: ${r.message}` : ""
          }`,
        );
      }
    }
  }
  return { leftOut, report, problems };
}

/** Points of the hidden checks of each lesson that has some, e.g. `{ linear: 6 }`. */
export async function hiddenPoints(): Promise<Record<string, number>> {
  const points: Record<string, number> = {};
  for (const l of LESSONS) {
    if (!hasHidden(l.name)) continue;
    const spec = await loadSpec(l.name);
    points[l.name] = spec.checks.filter((c) => c.hidden).reduce((sum, c) => sum + c.points, 0);
  }
  return points;
}

if (import.meta.main) {
  const args = Deno.args;
  const dirs = args.filter((a) => !a.startsWith("-"));
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--force" && a !== "--no-grade");
  if (dirs.length !== 1 || unknown.length) {
    console.error("Usage: deno task release <dir> [--force] [--no-grade]");
    Deno.exit(2);
  }
  try {
    const started = performance.now();
    const result = await release(".", dirs[0], {
      force: args.includes("--force"),
      grade: !args.includes("--no-grade"),
    });
    const tests = result.leftOut.filter((rel) => rel.endsWith("_test.ts"));
    const others = result.leftOut.filter((rel) => !rel.endsWith("_test.ts"));
    if (others.length) {
      console.log(`Left out (private, hidden, or importing what does not ship):\n  ${others.join("\n  ")}`);
    }
    if (tests.length) console.log(`Left out ${tests.length} of the kit's own test files`);
    if (result.report) {
      const counts = new Map<string, number>();
      for (const l of result.report.lessons) counts.set(l.status, (counts.get(l.status) ?? 0) + 1);
      console.log(
        `Self-check: graded the fresh copy: ${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")}`,
      );
    }
    if (result.problems.length) {
      console.error(`The release in ${dirs[0]} has problems:\n  ${result.problems.join("\n  ")}`);
      Deno.exit(1);
    }
    console.log(
      `Released the student copy to ${dirs[0]} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
