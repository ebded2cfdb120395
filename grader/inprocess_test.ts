import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkInProcess } from "./inprocess.ts";
import { gradeLessons, KIT_DIR } from "./grade.ts";
import { LESSONS } from "./manifest.ts";
import { expectationOf, stage, stagedText, testdata } from "./testdata/_proof.ts";
import { loadSpec } from "./specs/mod.ts";
import * as solutions from "../solutions/mod.ts";
import * as stubs from "../lessons/mod.ts";

Deno.test("checkInProcess() gives the reference full marks on every lesson's public checks", async () => {
  const wrong: string[] = [];
  for (const lesson of LESSONS) {
    const r = await checkInProcess(lesson.name, solutions);
    if (r.status !== "passed" || r.score !== r.max || (r.max === 0) !== lesson.given) {
      wrong.push(`${lesson.name}: ${r.status} ${r.score}/${r.max}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("checkInProcess() runs only the public checks", async () => {
  const spec = await loadSpec("linear");
  const hidden = spec.checks.filter((c) => c.hidden);
  assert.ok(hidden.length > 0, "linear has hidden checks to leave out");
  const r = await checkInProcess("linear", solutions);
  assert.equal(r.checks.length, spec.checks.length - hidden.length);
  assert.ok(r.checks.every((c) => !c.hidden));
  assert.equal(r.max, spec.checks.filter((c) => !c.hidden).reduce((a, c) => a + c.points, 0));
  const broken = await checkInProcess("linear", {});
  assert.match(broken.checks[0].message, /does not export Linear/);
});

Deno.test("checkInProcess() reads the stubs as not started and the worked examples as passed", async () => {
  const wrong: string[] = [];
  for (const lesson of LESSONS) {
    const r = await checkInProcess(lesson.name, stubs);
    const expected = lesson.given ? "passed" : "not started";
    if (r.status !== expected || (!lesson.given && r.score !== 0)) {
      wrong.push(`${lesson.name}: ${r.status} ${r.score}/${r.max}, expected ${expected}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("checkInProcess() fails each broken implementation's public checks with the grader's diagnosis", async () => {
  const problems: string[] = [];
  let tried = 0;
  for (const entry of testdata("broken")) {
    const spec = await loadSpec(entry.lesson);
    const publicIds = new Set(spec.checks.filter((c) => !c.hidden).map((c) => c.id));
    const expected = expectationOf(entry.text);
    const fails = expected.fails.filter((id) => publicIds.has(id));
    if (fails.length === 0) continue;
    tried++;
    const file = join(KIT_DIR, "grader", "testdata", "broken", entry.lesson, `${entry.name}.ts`);
    const r = await checkInProcess(entry.lesson, await import(pathToFileURL(file).href));
    const failed = r.checks.filter((c) => c.status !== "passed");
    for (const id of fails) {
      if (!failed.some((c) => c.id === id)) problems.push(`${entry.lesson}/${entry.name}: ${id} passed`);
    }
    if (expected.diagnosis && !failed.some((c) => c.diagnosis?.includes(expected.diagnosis!))) {
      problems.push(`${entry.lesson}/${entry.name}: no diagnosis "${expected.diagnosis}"`);
    }
  }
  assert.ok(tried >= 3 * LESSONS.length, `only ${tried} broken files with public checks`);
  assert.deepEqual(problems, []);
});

Deno.test("checkInProcess() judges exactly as gradeLessons() does on the public checks", async () => {
  const entries = testdata("broken").filter((e) => e.name === "overwrite_grad_w" || e.lesson === "softmax");
  const set = [entries.find((e) => e.lesson === "linear")!, entries.find((e) => e.lesson === "softmax")!];
  const dir = stage("inprocess", Object.fromEntries(set.map((e) => [e.lesson, stagedText(e.text)])));
  const report = await gradeLessons({ lessonsDir: dir, lessons: set.map((e) => e.lesson), seed: 11 });
  for (const graded of report.lessons) {
    const file = join(
      KIT_DIR,
      "grader",
      "testdata",
      "broken",
      graded.lesson,
      `${set.find((e) => e.lesson === graded.lesson)!.name}.ts`,
    );
    const r = await checkInProcess(graded.lesson, await import(pathToFileURL(file).href), { seed: 11 });
    const view = (c: { id: string; status: string; points: number; message: string; diagnosis?: string }) =>
      `${c.id} ${c.status} ${c.points} ${c.message} ${c.diagnosis ?? ""}`;
    assert.deepEqual(r.checks.map(view), graded.checks.filter((c) => !c.hidden).map(view));
    assert.ok(r.checks.some((c) => c.status === "failed"), `${graded.lesson} fails somewhere`);
  }
});

Deno.test("checkInProcess() refuses an unknown lesson and a seed without fixtures", async () => {
  await assert.rejects(() => checkInProcess("lineer", solutions), RangeError);
  await assert.rejects(
    () => checkInProcess("linear", solutions, { seed: 5 }),
    /at seed 5: expected one of 7, 11, 23/,
  );
});
