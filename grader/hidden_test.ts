import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLessons } from "../instructor/make_lessons.ts";
import { hiddenPoints, isHiddenPath } from "../instructor/release.ts";
import { FIXTURE_SEEDS } from "./reference/fixtures.ts";
import { gradeLessons, KIT_DIR, type LessonResult } from "./grade.ts";
import { hasHidden, LESSON_ORDER, loadSpec } from "./specs/mod.ts";
import { expectationOf, intoSets, stage, stagedText, testdata } from "./testdata/_proof.ts";

const SEED = 7;
const HIDDEN = LESSON_ORDER.filter(hasHidden);
/** The lessons whose hidden part this file proves; Linear's came first and is proved by grade_test.ts. */
const PROVED = HIDDEN.filter((l) => l !== "linear");

function summary(r: LessonResult): string {
  const failed = r.checks.filter((c) => c.status !== "passed").map((c) =>
    `${c.id}${c.hidden ? " (hidden)" : ""}: ${c.message}`
  );
  return `${r.lesson} ${r.status} ${r.score}/${r.max}${r.message ? ` (${r.message})` : ""}\n  ${
    failed.slice(0, 6).join("\n  ")
  }`;
}

Deno.test("hidden parts: at least ten lessons, each small and with ids of its own", async (t) => {
  assert.ok(HIDDEN.length >= 10, `only ${HIDDEN.length} lessons have hidden checks: ${HIDDEN.join(", ")}`);
  const points = await hiddenPoints();
  for (const lesson of HIDDEN) {
    await t.step(lesson, async () => {
      const spec = await loadSpec(lesson);
      const pub = spec.checks.filter((c) => !c.hidden).reduce((s, c) => s + c.points, 0);
      const hid = spec.checks.filter((c) => c.hidden).reduce((s, c) => s + c.points, 0);
      assert.equal(points[lesson], hid);
      assert.ok(hid > 0 && hid <= 0.3 * pub, `${lesson}: ${hid} hidden points against ${pub} public`);
      for (const ids of [spec.checks.map((c) => c.id), spec.probes.map((p) => p.id)]) {
        assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `${lesson}: duplicate ids`);
      }
      assert.ok(spec.probes.filter((p) => p.hidden).length > 0, `${lesson}: no hidden probe`);
    });
  }
});

Deno.test("the reference solutions pass every hidden check at every fixture seed", async () => {
  const bad: string[] = [];
  for (const seed of FIXTURE_SEEDS) {
    const report = await gradeLessons({
      lessonsDir: join(KIT_DIR, "solutions"),
      lessons: HIDDEN,
      seed,
      skipTypeCheck: true,
    });
    for (const r of report.lessons) {
      const hidden = r.checks.filter((c) => c.hidden);
      if (r.status !== "passed" || hidden.length === 0) bad.push(`seed ${seed}: ${summary(r)}`);
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("pristine stubs score zero on every hidden check", async () => {
  const files: Record<string, string> = {};
  for (const f of await buildLessons(join(KIT_DIR, "solutions"))) {
    const lesson = f.path.slice(0, -3);
    if (HIDDEN.includes(lesson)) files[lesson] = f.text;
  }
  assert.deepEqual(Object.keys(files).sort(), [...HIDDEN].sort());
  const report = await gradeLessons({
    lessonsDir: stage("hidden-stubs", files),
    lessons: HIDDEN,
    seed: SEED,
  });
  const scored = report.lessons.flatMap((r) =>
    r.checks.filter((c) => c.hidden && c.points !== 0).map((c) => `${r.lesson}/${c.id}: ${c.points}`)
  );
  assert.deepEqual(scored, []);
  for (const r of report.lessons) assert.ok(r.checks.some((c) => c.hidden), `${r.lesson}: no hidden check`);
});

Deno.test("over-fitted implementations pass every public check and fail a hidden one", async (t) => {
  const entries = testdata("hidden");
  for (const lesson of PROVED) {
    assert.ok(entries.some((e) => e.lesson === lesson), `no over-fitted ${lesson} in grader/testdata/hidden`);
  }
  const problems: string[] = [];
  let setIndex = 0;
  for (const set of intoSets(entries)) {
    const dir = stage(
      `hidden-${setIndex++}`,
      Object.fromEntries(set.map((e) => [e.lesson, stagedText(e.text)])),
    );
    const report = await gradeLessons({
      lessonsDir: dir,
      lessons: set.map((e) => e.lesson),
      seed: SEED,
      skipTypeCheck: true,
    });
    for (const e of set) {
      await t.step(`${e.lesson}/${e.name}`, async () => {
        const r = report.lessons.find((l) => l.lesson === e.lesson)!;
        const want = expectationOf(e.text);
        const hiddenIds = new Set((await loadSpec(e.lesson)).checks.filter((c) => c.hidden).map((c) => c.id));
        const here: string[] = [];
        if (want.fails.length === 0) here.push("names no @fails");
        for (const c of r.checks.filter((c) => !c.hidden && c.status !== "passed")) {
          here.push(`public check ${c.id} failed: ${c.message}`);
        }
        for (const id of want.fails) {
          if (!hiddenIds.has(id)) here.push(`${id} is not a hidden check`);
          const c = r.checks.find((x) => x.id === id);
          if (c?.status === "passed") here.push(`${id} passed`);
        }
        if (here.length) problems.push(`${e.lesson}/${e.name}: ${here.join(", ")}\n  ${summary(r)}`);
        assert.deepEqual(here, []);
      });
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("a student release leaves out the hidden checks, their fixtures and their proofs", () => {
  for (
    const path of ["grader/hidden/conv2d.ts", "grader/hidden/fixtures/conv2d.json", "grader/hidden/_part.ts"]
  ) {
    assert.equal(isHiddenPath(path), true, path);
  }
  for (const e of testdata("hidden")) {
    const path = `grader/testdata/hidden/${e.lesson}/${e.name}.ts`;
    assert.equal(isHiddenPath(path), true, path);
  }
  assert.equal(isHiddenPath("grader/hidden_test.ts"), true);
  assert.equal(isHiddenPath("grader/specs/conv2d.ts"), false);
});
