/**
 * The grader's coverage proof: every check of every lesson (public and
 * hidden, as `loadSpec` lists them when this runs) is failed by at least one
 * wrong implementation kept as a fixture (`grader/testdata/{broken,hidden,coverage}/<lesson>/*.ts`),
 * and passes on the reference. A check no wrong implementation can fail
 * proves nothing; add a fixture under `grader/testdata/coverage/<lesson>/`
 * for any id this test lists as uncovered.
 *
 * It also proves the diagnoses: every failing check of a broken fixture (one
 * its gate does not block) names its mistake, by a lesson's signature or a
 * generic pattern, not by the unnamed fallback (the share is printed, with
 * the coverage and hidden fixtures' for comparison); and every signature of
 * every check, and every generic pattern, names the mistake of at least one
 * fixture (correct alternatives, graded in `grade_test.ts`, get none).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { gradeLessons, KIT_DIR, type LessonResult } from "./grade.ts";
import { FIXTURE_SEEDS } from "./reference/fixtures.ts";
import { LESSON_ORDER, loadSpec } from "./specs/mod.ts";
import { GENERIC_PATTERNS, UNNAMED } from "./judge/explain.ts";
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

let graded: Promise<Map<Entry, LessonResult>> | undefined;

/** Every wrong implementation graded at seed 7, once for all the tests of this file. */
function gradedFixtures(): Promise<Map<Entry, LessonResult>> {
  return graded ??= gradeAll(KINDS.flatMap(entriesOf));
}

Deno.test("every grader check is failed by at least one broken fixture", async (t) => {
  const results = await gradedFixtures();
  const entries = [...results.keys()];

  await t.step(
    "coverage and hidden fixtures fail the checks their header names, with the diagnosis",
    async () => {
      const problems: string[] = [];
      for (const e of entries.filter((x) => x.kind === "coverage" || x.kind === "hidden")) {
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
    },
  );

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

/** The failing checks of a result that its gate does not block, and those among them left without a named diagnosis. */
function unnamed(r: LessonResult): { failing: number; left: string[] } {
  const failing = r.checks.filter((c) => c.status === "failed" && !c.blockedBy);
  const fallbacks: readonly string[] = Object.values(UNNAMED);
  const left = failing.filter((c) => !c.diagnosis || !c.signature || fallbacks.includes(c.signature))
    .map((c) => `${c.id}: ${c.diagnosis ?? "no diagnosis"}`);
  return { failing: failing.length, left };
}

Deno.test("every failing check of a broken fixture names its mistake (the share is printed)", async () => {
  const results = await gradedFixtures();
  const share = (kind: string) => {
    const of = [...results].filter(([e]) => e.kind === kind);
    const named = of.filter(([, r]) => unnamed(r).left.length === 0);
    return { named: named.length, all: of.length, left: of.filter(([, r]) => unnamed(r).left.length) };
  };
  const broken = share("broken");
  const others = KINDS.filter((k) => k !== "broken").map((k) => ({ kind: k, ...share(k) }));
  console.log(
    `named diagnoses on every failing check: ${broken.named} of ${broken.all} broken fixtures; ` +
      others.map((o) => `${o.named} of ${o.all} ${o.kind} fixtures`).join(", "),
  );
  assert.deepEqual(
    broken.left.map(([e, r]) => `${e.lesson}/${e.name}:\n  ${unnamed(r).left.join("\n  ")}`),
    [],
    "broken fixtures with a failing check that names no mistake",
  );
});

Deno.test("every signature and every generic pattern names the mistake of some fixture", async () => {
  const results = await gradedFixtures();
  const fired = new Set<string>();
  for (const [e, r] of results) {
    for (const c of r.checks) {
      if (c.status !== "failed" || c.blockedBy || !c.signature) continue;
      fired.add(`${e.lesson}: ${c.signature}`);
      fired.add(c.signature);
    }
  }
  // A signature of one lesson must fire in that lesson; one that a builder gives several lessons (the
  // contract's, the batch-size one) is the same code everywhere and must fire in one of them.
  const lessonsOf = new Map<string, string[]>();
  for (const lesson of LESSON_ORDER) {
    for (const id of new Set((await loadSpec(lesson)).checks.flatMap((c) => c.signatures ?? []))) {
      lessonsOf.set(id, [...(lessonsOf.get(id) ?? []), lesson]);
    }
  }
  const silent: string[] = [];
  for (const [id, lessons] of lessonsOf) {
    if (lessons.length > 1 ? !fired.has(id) : !fired.has(`${lessons[0]}: ${id}`)) {
      silent.push(`${lessons.join(", ")}: ${id}`);
    }
  }
  for (const id of GENERIC_PATTERNS) if (!fired.has(id)) silent.push(`generic: ${id}`);
  assert.deepEqual(
    silent,
    [],
    "signatures that name no fixture's mistake (add a broken fixture that makes it)",
  );
});
