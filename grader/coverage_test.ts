/**
 * The grader's coverage proof: every check of every lesson (public and
 * hidden, as `loadSpec` lists them when this runs) is failed by at least one
 * wrong implementation kept as a fixture (`grader/testdata/{broken,hidden,coverage}/<lesson>/*.ts`),
 * and passes on the reference. A check no wrong implementation can fail
 * proves nothing; add a fixture under `grader/testdata/coverage/<lesson>/`
 * for any id this test lists as uncovered.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gradeLessons, KIT_DIR, type LessonResult } from "./grade.ts";
import { FIXTURE_SEEDS } from "./reference/fixtures.ts";
import { LESSON_ORDER, loadSpec } from "./specs/mod.ts";
import { expectationOf, intoSets, stage, stagedText, testdata } from "./testdata/_proof.ts";

const SEED = 7;
/** The fixture folders whose files are wrong on purpose (`hidden` may not exist yet). */
const KINDS = ["broken", "hidden", "coverage"];

interface Entry {
  readonly kind: string;
  readonly lesson: string;
  readonly name: string;
  readonly text: string;
}

function entriesOf(kind: string): Entry[] {
  try {
    if (!Deno.statSync(join(KIT_DIR, "grader", "testdata", kind)).isDirectory) return [];
  } catch {
    return [];
  }
  return testdata(kind).map((e) => ({ kind, ...e }));
}

function summary(r: LessonResult): string {
  const failed = r.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.message}`);
  return `${r.lesson} ${r.status} ${r.score}/${r.max}${r.message ? ` (${r.message})` : ""}\n  ${
    failed.slice(0, 5).join("\n  ")
  }`;
}

/** Grades every entry, many lessons per run (one file per lesson per set). */
async function gradeAll(entries: readonly Entry[]): Promise<Map<Entry, LessonResult>> {
  const results = new Map<Entry, LessonResult>();
  let setIndex = 0;
  for (const set of intoSets(entries)) {
    const dir = stage(
      `coverage-${setIndex++}`,
      Object.fromEntries(set.map((e) => [e.lesson, stagedText(e.text)])),
    );
    const report = await gradeLessons({
      lessonsDir: dir,
      lessons: set.map((e) => e.lesson),
      seed: SEED,
      skipTypeCheck: true,
    });
    for (const e of set) results.set(e, report.lessons.find((l) => l.lesson === e.lesson)!);
  }
  return results;
}

Deno.test("every grader check is failed by at least one broken fixture", async (t) => {
  const entries = KINDS.flatMap(entriesOf);
  const results = await gradeAll(entries);

  await t.step("coverage fixtures fail the checks their header names", async () => {
    const problems: string[] = [];
    for (const e of entries.filter((x) => x.kind === "coverage")) {
      const r = results.get(e)!;
      const want = expectationOf(e.text);
      const ids = new Set((await loadSpec(e.lesson)).checks.map((c) => c.id));
      const here: string[] = [];
      if (want.fails.length === 0) here.push("names no check in // @fails");
      if (r.checks.every((c) => c.status === "passed")) here.push("failed no check");
      for (const id of want.fails) {
        if (!ids.has(id)) here.push(`names unknown check ${id}`);
        const c = r.checks.find((x) => x.id === id);
        if (c && c.status !== "failed") here.push(`${id} ${c.status}`);
      }
      if (want.diagnosis) {
        const named = r.checks.some((c) =>
          want.fails.includes(c.id) && c.diagnosis?.includes(want.diagnosis!)
        );
        if (!named) here.push(`no diagnosis "${want.diagnosis}"`);
      }
      if (here.length) problems.push(`${e.lesson}/${e.name}: ${here.join(", ")}\n  ${summary(r)}`);
    }
    assert.deepEqual(problems, []);
  });

  const failedBy = new Map<string, string[]>();
  for (const [e, r] of results) {
    for (const c of r.checks) {
      // A check blocked by its gate proves nothing about itself: only its own failures count.
      if (c.status !== "failed" || c.blockedBy) continue;
      const key = `${e.lesson} ${c.id}`;
      failedBy.set(key, [...(failedBy.get(key) ?? []), `${e.kind}/${e.lesson}/${e.name}`]);
    }
  }
  for (const lesson of LESSON_ORDER) {
    await t.step(lesson, async () => {
      const spec = await loadSpec(lesson);
      const uncovered = spec.checks.filter((c) => !failedBy.has(`${lesson} ${c.id}`)).map((c) =>
        `${c.id}${c.hidden ? " (hidden)" : ""}`
      );
      assert.deepEqual(
        uncovered,
        [],
        `${lesson}: ${uncovered.length} of ${spec.checks.length} checks are failed by no fixture in ` +
          `grader/testdata/{${KINDS.join(",")}}/${lesson}/ (seed ${SEED}): ${uncovered.join(", ")}`,
      );
    });
  }
});

Deno.test("every grader check passes on the reference at the other fixture seeds", async (t) => {
  // Seed 7 and a fresh official seed: grade_test.ts. Each run goes through the sandbox like a student's.
  for (const seed of FIXTURE_SEEDS.slice(1)) {
    await t.step(`seed ${seed}`, async () => {
      const report = await gradeLessons({
        lessonsDir: join(KIT_DIR, "solutions"),
        seed,
        skipTypeCheck: true,
      });
      const bad = report.lessons.flatMap((l) =>
        l.checks.filter((c) => c.status !== "passed").map((c) =>
          `${l.lesson} ${c.id} ${c.status}: ${c.message}`
        )
      );
      assert.deepEqual(bad, []);
    });
  }
});
