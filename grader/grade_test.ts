import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLessons } from "../instructor/make_lessons.ts";
import { LESSONS } from "./manifest.ts";
import { freshSeed, gradeLessons, KIT_DIR, type LessonResult } from "./grade.ts";
import { FIXTURE_SEEDS } from "./reference/fixtures.ts";
import { loadSpec } from "./specs/mod.ts";
import { expectationOf, intoSets, stage, stagedText, testdata } from "./testdata/_proof.ts";

const SEED = 7;

function summary(r: LessonResult): string {
  const failed = r.checks.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.message}`);
  return `${r.lesson} ${r.status} ${r.score}/${r.max}${r.message ? ` (${r.message})` : ""}\n  ${
    failed.slice(0, 5).join("\n  ")
  }`;
}

/** A fresh seed for the official runs of this test file, shown in every failure. */
const FRESH = freshSeed();

Deno.test(`gradeLessons() gives the reference solutions full marks, self-graded and officially (seed ${FRESH})`, async (t) => {
  for (const [mode, seed] of [["local", SEED], ["official", FRESH]] as const) {
    await t.step(`${mode}, seed ${seed}`, async () => {
      const report = await gradeLessons({ lessonsDir: join(KIT_DIR, "solutions"), seed, mode });
      assert.equal(report.lessons.length, LESSONS.length);
      assert.equal(report.mode, mode);
      const bad = report.lessons.filter((l) => l.status !== "passed");
      assert.deepEqual(bad.map(summary), []);
      assert.equal(report.score, report.max);
      const given = LESSONS.filter((l) => l.given).map((l) => l.name);
      for (const l of report.lessons) {
        assert.equal(l.given, given.includes(l.lesson), l.lesson);
        if (l.given) assert.deepEqual([l.score, l.max], [0, 0], `${l.lesson} is a worked example: 0 points`);
      }
    });
  }
});

Deno.test("an official grade draws a fresh seed each run and records it", async () => {
  const a = await gradeLessons({
    lessonsDir: join(KIT_DIR, "solutions"),
    lessons: ["relu"],
    mode: "official",
  });
  const b = await gradeLessons({
    lessonsDir: join(KIT_DIR, "solutions"),
    lessons: ["relu"],
    mode: "official",
  });
  assert.notEqual(a.seed, b.seed);
  assert.ok(!FIXTURE_SEEDS.includes(a.seed) && a.lessons[0].checks.every((c) => c.seed === a.seed));
});

Deno.test("gradeLessons() reads pristine stubs as not started, 0 points in all, and passes the worked examples", async () => {
  const files: Record<string, string> = {};
  for (const f of await buildLessons(join(KIT_DIR, "solutions"))) {
    if (!f.path.includes("/") && f.path !== "_check.ts" && f.path !== "mod.ts") {
      files[f.path.slice(0, -3)] = f.text;
    }
  }
  const dir = stage("stubs", files);
  const report = await gradeLessons({ lessonsDir: dir, seed: SEED, skipTypeCheck: true });
  assert.equal(report.score, 0, "a pristine copy scores 0: the worked examples count no points");
  assert.ok(report.max > 0);
  const wrong: string[] = [];
  for (const l of report.lessons) {
    const given = LESSONS.find((x) => x.name === l.lesson)!.given;
    if (given ? l.status !== "passed" : l.status !== "not started" || l.score !== 0) wrong.push(summary(l));
  }
  assert.deepEqual(wrong, []);
});

Deno.test(`broken implementations lose points in the check that catches them, with the diagnosis (and at seed ${FRESH})`, async (t) => {
  const entries = testdata("broken");
  for (const lesson of LESSONS) {
    assert.ok(
      entries.filter((e) => e.lesson === lesson.name).length >= 3,
      `fewer than 3 broken ${lesson.name}`,
    );
  }
  const problems: string[] = [];
  let setIndex = 0;
  for (const set of intoSets(entries)) {
    const files = Object.fromEntries(set.map((e) => [e.lesson, stagedText(e.text)]));
    const dir = stage(`broken-${setIndex++}`, files);
    const report = await gradeLessons({
      lessonsDir: dir,
      lessons: set.map((e) => e.lesson),
      seed: SEED,
      skipTypeCheck: true,
    });
    const official = await gradeLessons({
      lessonsDir: dir,
      lessons: set.map((e) => e.lesson),
      seed: FRESH,
      mode: "official",
      skipTypeCheck: true,
    });
    for (const e of set) {
      await t.step(`${e.lesson}/${e.name}`, async () => {
        const r = report.lessons.find((l) => l.lesson === e.lesson)!;
        const o = official.lessons.find((l) => l.lesson === e.lesson)!;
        const want = expectationOf(e.text);
        const ids = new Set((await loadSpec(e.lesson)).checks.map((c) => c.id));
        const here: string[] = [];
        // Worked examples are worth 0 points: "losing" means failing a check.
        if (r.checks.every((c) => c.status === "passed")) here.push("failed no check");
        if (o.checks.every((c) => c.status === "passed")) {
          here.push(`failed no check officially at seed ${FRESH}`);
        }
        for (const id of want.fails) {
          if (!ids.has(id)) here.push(`names unknown check ${id}`);
          const c = r.checks.find((x) => x.id === id);
          if (c?.status === "passed") here.push(`${id} passed`);
        }
        if (want.diagnosis) {
          const named = r.checks.some((c) =>
            want.fails.includes(c.id) && c.diagnosis?.includes(want.diagnosis!)
          );
          if (!named) {
            const got = r.checks.filter((c) => want.fails.includes(c.id)).map((c) =>
              `${c.id}: ${c.diagnosis ?? "-"}`
            );
            here.push(`no diagnosis "${want.diagnosis}" (got ${got.join("; ")})`);
          }
        }
        if (here.length) problems.push(`${e.lesson}/${e.name}: ${here.join(", ")}\n  ${summary(r)}`);
        assert.deepEqual(here, []);
      });
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test(`correct alternative implementations get full marks and no diagnosis, on every fixture seed and at seed ${FRESH}`, async (t) => {
  const entries = testdata("alternatives");
  for (const lesson of LESSONS) {
    assert.ok(entries.some((e) => e.lesson === lesson.name), `no alternative ${lesson.name}`);
  }
  let setIndex = 0;
  for (const set of intoSets(entries)) {
    const dir = stage(
      `alternatives-${setIndex++}`,
      Object.fromEntries(set.map((e) => [e.lesson, stagedText(e.text)])),
    );
    for (const seed of [...FIXTURE_SEEDS, FRESH]) {
      const report = await gradeLessons({
        lessonsDir: dir,
        lessons: set.map((e) => e.lesson),
        seed,
        mode: seed === FRESH ? "official" : "local",
        skipTypeCheck: true,
      });
      for (const e of set) {
        await t.step(`${e.lesson}/${e.name} (seed ${seed})`, () => {
          const r = report.lessons.find((l) => l.lesson === e.lesson)!;
          assert.equal(r.status, "passed", summary(r));
          // A correct implementation is never diagnosed with a mistake.
          assert.deepEqual(r.checks.filter((c) => c.diagnosis || c.signature).map((c) => c.id), []);
        });
      }
    }
  }
});

Deno.test("hostile submissions are contained: zero points and a clear message, never a crash", async (t) => {
  const entries = testdata("hostile");
  const results = new Map<string, LessonResult>();
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const e = entries[next++];
      const dir = stage(`hostile-${e.name}`, { [e.lesson]: stagedText(e.text) });
      const report = await gradeLessons({
        lessonsDir: dir,
        lessons: [e.lesson],
        seed: SEED,
        skipTypeCheck: true,
        // Short for the files meant to time out; generous for the rest (filling the heap takes
        // longer than 3 s on a loaded machine, and must end as "rejected", not "timed out").
        timeoutMs: expectationOf(e.text).status === "timed out" ? 3000 : 10000,
        heapMb: 128,
      });
      results.set(e.name, report.lessons[0]);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const e of entries) {
    await t.step(e.name, () => {
      const r = results.get(e.name)!;
      const want = expectationOf(e.text);
      assert.equal(r.score, want.score ?? 0, summary(r));
      if (want.status) assert.equal(r.status, want.status, summary(r));
      if (want.message) {
        const texts = [r.message ?? "", ...r.checks.map((c) => c.message)];
        assert.ok(
          texts.some((m) => m.includes(want.message!)),
          `no message with "${want.message}": ${summary(r)}`,
        );
      }
      assert.equal(r.checks.length > 0, true);
    });
  }
});

Deno.test("a lesson that does not compile is reported with file, line and message; the others are graded", async () => {
  const solution = (name: string) => Deno.readTextFileSync(join(KIT_DIR, "solutions", `${name}.ts`));
  const typeError = solution("linear").replace(
    "    this.gradInput = gradOutput.matmul(this.W);",
    '    const wrong: number = "not a number";\n    this.gradInput = gradOutput.matmul(this.W).mul(wrong);',
  );
  const syntaxError = solution("relu").replace(
    "override updateOutput(input: Tensor): Tensor {",
    "override updateOutput(input: Tensor): Tensor {{{",
  );
  const dir = stage("compile", { linear: typeError, relu: syntaxError, softmax: solution("softmax") });
  const report = await gradeLessons({ lessonsDir: dir, lessons: ["linear", "relu", "softmax"], seed: SEED });
  const [relu, linear, softmax] = ["relu", "linear", "softmax"].map((n) =>
    report.lessons.find((l) => l.lesson === n)!
  );
  assert.equal(linear.status, "does not compile", summary(linear));
  assert.match(linear.message!, /lessons\/linear\.ts:\d+: TS2322/);
  assert.equal(linear.score, 0);
  assert.equal(relu.status, "does not compile", summary(relu));
  assert.match(relu.message!, /relu\.ts:\d+/);
  assert.equal(softmax.status, "passed", summary(softmax));
});

Deno.test("a copy graded from another folder imports the kit's lib", async () => {
  const root = await Deno.makeTempDir({ prefix: "gradlings-copy-" });
  try {
    const lessons = join(root, "lessons");
    Deno.mkdirSync(lessons);
    Deno.copyFileSync(join(KIT_DIR, "solutions", "_check.ts"), join(lessons, "_check.ts"));
    Deno.copyFileSync(join(KIT_DIR, "solutions", "linear.ts"), join(lessons, "linear.ts"));
    const report = await gradeLessons({
      lessonsDir: lessons,
      lessons: ["linear"],
      seed: SEED,
      skipTypeCheck: true,
    });
    assert.equal(report.lessons[0].status, "passed", summary(report.lessons[0]));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
