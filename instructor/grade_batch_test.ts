import assert from "node:assert/strict";
import { strToU8, zipSync } from "fflate";
import { LESSONS } from "../grader/manifest.ts";
import { printable } from "../grader/probes/printable.ts";
import { grade } from "../workflow/report.ts";
import { makeFakeKit, writeStudent } from "./_fake_kit.ts";
import { gradeBatch, submissionId, type SubmissionRecord } from "./grade_batch.ts";
import { validateGradescope } from "./gradescope_schema.ts";

const ALL_PASS = Object.fromEntries(LESSONS.map((l) => [l.file, "PASS"]));

/** Splits CSV rows into fields (quoted fields may hold commas and doubled quotes; no newlines in ours). */
function parseCsv(text: string): string[][] {
  return text.trim().split("\n").map((line) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .filter((m, i, all) => i < all.length - 1 || m[0] !== "")
      .map((m) => m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1])
  );
}

Deno.test("gradeBatch() grades good, broken and hostile submissions, one row each", async (t) => {
  const kit = await makeFakeKit({ hidden: ["linear"] });
  const subs = `${kit}/submissions`;
  const out = `${kit}/out`;
  try {
    await writeStudent(`${subs}/alice`, ALL_PASS);
    await writeStudent(`${subs}/carol`, { "linear.ts": "HALF", "relu.ts": "BROKEN" });
    await Deno.writeFile(
      `${subs}/bob.zip`,
      zipSync({ "bob/lessons/linear.ts": strToU8("// PASS\n"), "bob/lessons/Relu.ts": strToU8("// PASS\n") }),
    );
    await Deno.writeFile(`${subs}/slip.zip`, zipSync({ "../../../tmp/x.ts": strToU8("x") }));
    await Deno.mkdir(`${subs}/link/lessons`, { recursive: true });
    await Deno.symlink("/etc/passwd", `${subs}/link/lessons/linear.ts`);
    await writeStudent(`${subs}/huge`, { "linear.ts": "PASS" });
    const f = await Deno.open(`${subs}/huge/lessons/weights.bin`, { write: true, create: true });
    await f.truncate(1 << 30);
    f.close();
    await Deno.mkdir(`${subs}/empty`);
    await Deno.writeTextFile(`${subs}/notes.txt`, "not a submission");

    const summary = await gradeBatch({ submissions: subs, out, jobs: 2, kitRoot: kit, grade });
    const csv = parseCsv(await Deno.readTextFile(`${out}/gradebook.csv`));
    const rows = Object.fromEntries(csv.slice(1).map((r) => [r[0], r]));
    const col = (name: string) => csv[0].indexOf(name);

    await t.step("every submission has a row, ordered by id", () => {
      assert.equal(summary.total, 8);
      assert.equal(summary.graded, 8);
      assert.deepEqual(csv.slice(1).map((r) => r[0]), [
        "alice",
        "bob",
        "carol",
        "empty",
        "huge",
        "link",
        "notes.txt",
        "slip",
      ]);
      assert.deepEqual(csv[0].slice(0, 5), ["submission", "status", "total", "max", "relu"]);
    });
    await t.step("scores count hidden checks", () => {
      assert.equal(rows.alice[1], "graded");
      assert.equal(rows.alice[col("total")], String(2 * LESSONS.length + 1));
      assert.equal(rows.alice[col("linear")], "3");
      assert.equal(rows.carol[col("linear")], "1");
      assert.equal(rows.carol[col("relu")], "0");
    });
    await t.step("wrong names and missing files are notes, not failures", () => {
      assert.equal(rows.bob[1], "graded");
      assert.equal(rows.bob[col("linear")], "3");
      assert.match(rows.bob.at(-1)!, /bob\/lessons\/Relu.ts is not graded: the file must be named relu.ts/);
    });
    await t.step("hostile and broken submissions are rejected with the reason", () => {
      assert.equal(rows.slip[1], "rejected");
      assert.match(rows.slip.at(-1)!, /escapes the submission folder/);
      assert.match(rows.link.at(-1)!, /symlink to a path outside/);
      assert.match(rows.huge.at(-1)!, /weights.bin is 1.0 GiB/);
      assert.match(rows.empty.at(-1)!, /no lesson file found/);
      assert.match(rows["notes.txt"].at(-1)!, /expected a folder, a .zip or a .ipynb file/);
    });
    await t.step("each submission has a report and a valid Gradescope results.json", async () => {
      for (const id of Object.keys(rows)) {
        const rec: SubmissionRecord = JSON.parse(await Deno.readTextFile(`${out}/reports/${id}.json`));
        assert.equal(rec.id, id);
        const gs = JSON.parse(await Deno.readTextFile(`${out}/gradescope/${id}/results.json`));
        assert.deepEqual(validateGradescope(gs), [], id);
        assert.equal(gs.score, rec.report?.points ?? 0);
      }
      const hidden = JSON.parse(await Deno.readTextFile(`${out}/gradescope/alice/results.json`)).tests
        .filter((x: { visibility: string }) => x.visibility === "after_published");
      assert.equal(hidden.length, 1);
    });
    await t.step("a re-run grades nothing; a lost report and --force re-grade", async () => {
      const again = await gradeBatch({ submissions: subs, out, jobs: 2, kitRoot: kit, grade });
      assert.deepEqual([again.graded, again.skipped], [0, 8]);
      await Deno.remove(`${out}/reports/carol.json`);
      await Deno.writeTextFile(`${out}/reports/.tmp-carol.json.999.dead`, "{ torn");
      const resumed = await gradeBatch({ submissions: subs, out, jobs: 2, kitRoot: kit, grade });
      assert.deepEqual([resumed.graded, resumed.skipped], [1, 7]);
      assert.equal(
        [...Deno.readDirSync(`${out}/reports`)].filter((e) => e.name.startsWith(".tmp")).length,
        0,
      );
      assert.equal(parseCsv(await Deno.readTextFile(`${out}/gradebook.csv`)).length, 9);
      const forced = await gradeBatch({ submissions: subs, out, jobs: 2, kitRoot: kit, force: true, grade });
      assert.equal(forced.graded, 8);
    });
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("gradeBatch() turns a grader crash into an error row and goes on", async () => {
  const kit = await makeFakeKit();
  try {
    await writeStudent(`${kit}/subs/a`, { "relu.ts": "PASS" });
    await writeStudent(`${kit}/subs/b`, { "relu.ts": "PASS" });
    let calls = 0;
    const summary = await gradeBatch({
      submissions: `${kit}/subs`,
      out: `${kit}/out`,
      kitRoot: kit,
      jobs: 1,
      grade: () =>
        calls++ === 0 ? Promise.reject(new Error("the grader crashed")) : Promise.resolve({
          seed: 1,
          lessons: [],
          points: 0,
          max: 0,
          hiddenPending: 0,
          time: 0,
        }),
    });
    assert.equal(summary.graded, 2);
    const csv = await Deno.readTextFile(`${kit}/out/gradebook.csv`);
    assert.match(csv, /^a,error,0,,.*"the grader crashed; missing leaky_relu.ts/m);
    assert.match(csv, /^b,graded,0,0,/m);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("submissionId() makes safe, unique ids", () => {
  const taken = new Set<string>();
  assert.equal(submissionId("Alice Smith.zip", taken), "Alice_Smith");
  assert.equal(submissionId("Alice Smith", taken), "Alice_Smith-2");
  assert.equal(submissionId("../../x.zip", taken), "__.._x");
  assert.equal(submissionId("élève", taken), "_l_ve");
});

Deno.test("gradeBatch(): a submission added since the last run whose id collides is graded, not given another's report (red team 3)", async () => {
  const kit = await makeFakeKit();
  try {
    const [subs, out] = [`${kit}/subs`, `${kit}/out`];
    await writeStudent(`${subs}/a_b`, ALL_PASS);
    const first = await gradeBatch({ submissions: subs, out, kitRoot: kit, jobs: 1, grade });
    assert.equal(first.graded, 1);
    // "a b" sorts before "a_b", so it is given the id a_b, whose report is a_b's.
    await writeStudent(`${subs}/a b`, { "relu.ts": "BROKEN" });
    const resumed = await gradeBatch({ submissions: subs, out, kitRoot: kit, jobs: 1, grade });
    assert.deepEqual([resumed.graded, resumed.skipped], [1, 1]);
    const sources = new Map<string, string>();
    for await (const e of Deno.readDir(`${out}/reports`)) {
      const r: SubmissionRecord = JSON.parse(await Deno.readTextFile(`${out}/reports/${e.name}`));
      sources.set(r.id, r.source.slice(r.source.lastIndexOf("/") + 1));
    }
    assert.deepEqual([...sources].sort(), [["a_b", "a_b"], ["a_b-2", "a b"]]);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("gradeBatch(): file names that would act on a terminal are escaped in notes and reasons (red team 3)", async () => {
  const kit = await makeFakeKit();
  try {
    const [subs, out] = [`${kit}/subs`, `${kit}/out`];
    const evil = "\x1b[2J\x1b[32m✓ 57/57 passed\r\u202e";
    await Deno.mkdir(subs, { recursive: true });
    await Deno.writeFile(
      `${subs}/note.zip`,
      zipSync({ "lessons/relu.ts": strToU8("// PASS\n"), [`${evil}/Linear.ts`]: strToU8("x") }),
    );
    await Deno.writeFile(`${subs}/reason.zip`, zipSync({ [`${evil}.ts`]: strToU8("x") }));
    await gradeBatch({ submissions: subs, out, kitRoot: kit, jobs: 1, grade });
    const texts = [await Deno.readTextFile(`${out}/gradebook.csv`)];
    for (const id of ["note", "reason"]) {
      const r: SubmissionRecord = JSON.parse(await Deno.readTextFile(`${out}/reports/${id}.json`));
      texts.push(r.reason, ...r.notes);
      texts.push(JSON.parse(await Deno.readTextFile(`${out}/gradescope/${id}/results.json`)).output);
    }
    assert.match(texts.join("\n"), /\\u\{1b\}\[2J/);
    for (const t of texts) assert.equal(t, printable(t));
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});
