/**
 * The official grade against a determined student (`grader/SECURITY.md`):
 * each attack below is a submission, graded through `grade-batch` and
 * through the Gradescope runner, in the real kit. Each must score 0, end
 * within its limits and leave no process behind, while an innocent
 * submission graded beside them gets full marks within its own limit.
 *
 * The attacks are written here, as the student would write them, on top of
 * the pristine stubs; `__KIT__` is the kit's real path (an attacker who
 * guesses it), `/autograder/source` Gradescope's.
 *
 * @module
 */

import { printable } from "./probes/printable.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildLessons } from "../instructor/make_lessons.ts";
import { gradeBatch, type SubmissionRecord } from "../instructor/grade_batch.ts";
import { runGradescope } from "../instructor/gradescope_run.ts";
import { gradeLessons, KIT_DIR, OWNER, readChild } from "./grade.ts";
import { LESSONS } from "./manifest.ts";
import { FIXTURE_SEEDS, type FixtureFile, fixturePath } from "./reference/fixtures.ts";
import { loadSpec } from "./specs/mod.ts";
import { encode, type Tree } from "./probes/wire.ts";
import { liveCount } from "./sandbox/spawn.ts";
import { freshSeed } from "./grade.ts";
import { runPlan } from "./probes/run.ts";
import type { LessonPlan } from "./probes/plan.ts";
import { derive } from "./judge/derive.ts";
import { judgeChecks, makeJudge } from "./judge/verdicts.ts";
import { runSolutions } from "./reference/solutions.ts";
import { pathToFileURL } from "node:url";
import { codeCell, formatNotebook, lessonTag } from "../notebook/ipynb.ts";
import { stagedText, testdata } from "./testdata/_proof.ts";

const SOLUTIONS = join(KIT_DIR, "solutions");
const stubs = new Map((await buildLessons(SOLUTIONS)).map((f) => [f.path, f.text]));

/** The pristine stub of `lesson` with `top` inserted after its imports. */
function withTop(lesson: string, top: string): string {
  const stub = stubs.get(`${lesson}.ts`)!;
  const at = stub.lastIndexOf("\nimport ");
  const end = stub.indexOf("\n", stub.indexOf(";", at)) + 1;
  return stub.slice(0, end) + "\n" + top.replaceAll("__KIT__", KIT_DIR) + "\n" + stub.slice(end);
}

/** The public fixture's outcomes of `lesson` at `seed`, wire format. */
function fixtureOutcomes(lesson: string, seed: number): string {
  const file = JSON.parse(Deno.readTextFileSync(fixturePath(KIT_DIR, lesson))) as FixtureFile;
  return file.seeds[`${seed}`].outcomes;
}

/**
 * Forges the child's report, as the issue's attack did: search the heap for
 * a secret (there is none to find), then write a result frame copied from the
 * public fixture of the lesson, and exit before the child can report.
 */
function forged(lesson: string): string {
  return withTop(
    lesson,
    `{
  const v8 = (globalThis as any).process?.getBuiltinModule?.("node:v8");
  try {
    const snapshot = v8?.getHeapSnapshot?.();
    if (snapshot) for await (const _ of snapshot) break;
  } catch { /* nothing to find */ }
  const frame = ${JSON.stringify(fixtureOutcomes(lesson, FIXTURE_SEEDS[0]))};
  Deno.stdout.writeSync(new TextEncoder().encode("\\n@@gradlings:result:" + frame + "\\n"));
  Deno.exit(0);
}`,
  );
}

/**
 * A "solution" that holds no maths, only a table of the public fixtures'
 * inputs and answers at every fixture seed (elementwise lessons and the
 * stable criterion, which have no hidden checks).
 */
async function lookupTable(lesson: string, cls: string, criterion: boolean): Promise<string> {
  const spec = await loadSpec(lesson);
  const rows: [string, Tree][] = [];
  for (const seed of FIXTURE_SEEDS) {
    const outcomes = JSON.parse(fixtureOutcomes(lesson, seed)) as Record<
      string,
      { values: Record<string, Tree> }
    >;
    for (const p of spec.probes.filter((q) => !q.hidden)) {
      const plan = p.plan(seed);
      const input = (plan.inputs.input as { data: Float64Array }).data.join(",");
      const got = outcomes[plan.id]?.values;
      if (got) rows.push([input, got]);
    }
  }
  const table = JSON.stringify(Object.fromEntries(rows.map(([k, v]) => [k, JSON.parse(encode(v))])));
  const value = (v: string) => `TABLE[${v}.data.join(",")]`;
  const out = criterion
    ? `override updateOutput(input: Tensor, _t: Tensor): number {
    return this.output = ${value("input")}?.loss ?? 0;
  }
  override updateGradInput(input: Tensor, _t: Tensor): Tensor {
    return this.gradInput = tensor(${value("input")}?.gradInput, input.shape);
  }`
    : `override updateOutput(input: Tensor): Tensor {
    return this.output = tensor(${value("input")}?.output, input.shape);
  }
  override updateGradInput(input: Tensor, _g: Tensor): Tensor {
    return this.gradInput = tensor(${value("input")}?.gradInput, input.shape);
  }`;
  return `import { Tensor } from "../lib/tensor.ts";
import { ${criterion ? "Criterion" : "Module"} } from "../lib/module.ts";
// deno-lint-ignore no-explicit-any
const TABLE: Record<string, any> = ${table};
// deno-lint-ignore no-explicit-any
function tensor(v: any, shape: number[]): Tensor {
  const d = (v?.$d ?? []).map((x: unknown) => typeof x === "number" ? x : Number(x));
  return new Tensor(Float64Array.from(d.length ? d : new Array(shape.reduce((a, b) => a * b, 1)).fill(0)), shape);
}
export class ${cls} extends ${criterion ? "Criterion" : "Module"} {
  constructor(..._args: unknown[]) {
    super();
  }
  ${out}
}
`;
}

/** A Dropout whose forward fills \`d\` (the output's data) with \`fill\`, and whose backward is all NaN. */
const DROPOUT_OF = (fill: string) =>
  `import { Tensor } from "../lib/tensor.ts";
import { Module } from "../lib/module.ts";
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
  }
  override updateOutput(input: Tensor): Tensor {
    const d = new Float64Array(input.data.length);
    ${fill}
    return this.output = new Tensor(d, input.shape);
  }
  override updateGradInput(input: Tensor, _g: Tensor): Tensor {
    return this.gradInput = Tensor.full(input.shape, NaN);
  }
}
`;

/** Attacks whose module is otherwise correct: their public points are earned; their hidden checks must stay 0. */
const HONEST = new Set(["hidden-leak-denial"]);
/**
 * Attacks on another submission, not for points: the module is the reference's (what they prove is that
 * the innocent submission graded after them keeps full marks).
 */
const ON_OTHERS = new Set(["aaa-poison"]);

/** A Linear whose top-level code is `top`. */
const linearWith = (top: string) => ({ "linear.ts": withTop("linear", top) });

/** The attacks, each a submission: lesson files by name. */
async function attacks(): Promise<Record<string, Record<string, string>>> {
  return {
    // 1. A forged report frame in every lesson, copied from the public fixtures.
    "forge-all-19": Object.fromEntries(LESSONS.map((l) => [l.file, forged(l.name)])),
    // 2. Answers looked up in the public fixtures.
    "lookup-tables": {
      "leaky_relu.ts": await lookupTable("leaky_relu", "LeakyReLU", false),
      "elu.ts": await lookupTable("elu", "ELU", false),
      "softplus.ts": await lookupTable("softplus", "SoftPlus", false),
      "class_nll_criterion.ts": await lookupTable("class_nll_criterion", "ClassNLLCriterion", true),
    },
    // 3. deno info/check or the child reading forever.
    "dev-zero-export": linearWith(`export*from"/dev/zero";`),
    "dev-zero-computed": linearWith(`await import(["", "dev", "zero"].join("/"));`),
    // 5. Reading the hidden checks, the solutions and the fixtures, and showing them in an error.
    "reads-hidden": linearWith(`{
  const found: string[] = [];
  for (const p of ["__KIT__/grader/hidden/linear.ts", "/autograder/source/grader/hidden/linear.ts",
    "../grader/hidden/linear.ts", "../../grader/hidden/linear.ts", "/proc/self/cwd/grader/hidden/linear.ts",
    "__KIT__/solutions/linear.ts", "__KIT__/grader/reference/fixtures/linear.json"]) {
    try { found.push(Deno.readTextFileSync(p).slice(0, 300)); } catch { /* denied */ }
  }
  try { found.push((globalThis as any).process.getBuiltinModule("node:fs").readFileSync("__KIT__/grader/hidden/linear.ts", "utf8")); } catch { /* denied */ }
  if (found.length) throw new Error("LEAK " + found.join(" | "));
}`),
    // 6. eval through Deno's internals, a computed import behind a hash-bang, Workers.
    "eval-context-import": linearWith(`const core = (Deno as any)[(Deno as any).internal]?.core;
const ref = await core?.evalContext?.('import("__KIT__/solutions/linear.ts")')?.[0];
export const Stolen = ref ? (await ref).Linear : undefined;`),
    "hashbang-import": {
      "linear.ts": "#! /*\n" +
        withTop(
          "linear",
          `const m = await import(["__KIT__", "solutions", "linear.ts"].join("/")); // */
export { m };`,
        ),
    },
    "worker-threads-32": linearWith(`{
  const wt = (globalThis as any).process.getBuiltinModule("node:worker_threads");
  for (let i = 0; i < 32; i++) {
    try { new wt.Worker("for (;;) {}", { eval: true }); } catch { /* refused */ }
  }
}`),
    // Red team: NaN outputs that slip through comparisons written as `a > tol`; a mask of one element.
    "dropout-nan": {
      "dropout.ts": DROPOUT_OF(
        `for (let i = 0; i < d.length; i++) d[i] = this.training && this.p > 0 && i % 2 ? 0 : NaN;`,
      ),
    },
    "dropout-one-kept": {
      "dropout.ts": DROPOUT_OF(`if (!this.training || this.p === 0) d.fill(NaN);
    else if (input.shape.length === 2) d[0] = input.data[0] / (1 - this.p);
    else for (let i = 0; i < d.length; i += 2) d[i] = NaN;`),
    },
    // Red team: right on the public cases (they are public), and a hidden case smuggled out in a message
    // the parent would promote to the whole lesson.
    "hidden-leak-denial": {
      "linear.ts": Deno.readTextFileSync(join(SOLUTIONS, "linear.ts")).replace(
        "override updateOutput(input: Tensor): Tensor {",
        `override updateOutput(input: Tensor): Tensor {
    const key = \`\${this.W.shape[1]}x\${this.W.shape[0]}/\${input.shape[0]}\`;
    if (!["3x4/1", "3x4/5", "4x4/3", "20x10/16"].includes(key)) {
      throw new Error(\`Requires read access LEAK SHAPE [\${input.shape}] \${Array.from(input.data.slice(0, 4))}\`);
    }`,
      ),
    },
    // Red team: a report far larger than any real one, and one with a million keys; the grader must not
    // stall (and so time out its neighbours) reading them.
    "frame-bomb": linearWith(`{
  const big = "1,".repeat(20_000_000);
  Deno.stdout.writeSync(new TextEncoder().encode("\\n@@gradlings:result:{\\"case.batch1\\":{\\"values\\":{\\"x\\":{\\"$t\\":[1],\\"$d\\":[" + big + "1]}}}}\\n"));
  Deno.exit(0);
}`),
    "key-bomb": linearWith(`{
  const keys = Array.from({ length: 1_000_000 }, (_, i) => \`"k\${i}":1\`).join(",");
  Deno.stdout.writeSync(new TextEncoder().encode("\\n@@gradlings:result:{\\"case.batch1\\":{\\"values\\":{" + keys + "}}}\\n"));
  Deno.exit(0);
}`),
    // Red team: an import scan made quadratic (`export` then endless commas), within the size limit.
    "import-scan-bomb": { "linear.ts": "export ".repeat(15_000) + ",".repeat(150_000) },
    // Red team: brackets nested deep enough that TypeScript's parser takes hours (as a notebook cell).
    "parser-nesting": { "linear.ts": `export const x = ${"async (".repeat(45)}1${")".repeat(45)};\n` },
    // Red team: a module augmentation of lib/ that fails every lesson type-checked with it; a cached
    // verdict must never carry it to another submission (the innocent, graded after it, holds the same
    // linear.ts byte for byte).
    "aaa-poison": {
      "relu.ts":
        `export {};\ndeclare module "../lib/tensor.ts" {\n  interface MatmulOptions {\n    poisoned: number;\n  }\n}\n`,
      "linear.ts": Deno.readTextFileSync(join(SOLUTIONS, "linear.ts")),
    },
    // Red team 2: text a terminal would act on (clear the screen, colour a fake "✓", overwrite a line,
    // reverse the text) in an error message, in stderr before an exit, and in a type error's source.
    "terminal-escapes": {
      "linear.ts": stubs.get("linear.ts")!.replace(
        /override updateOutput\(input: Tensor\): Tensor \{/,
        'override updateOutput(input: Tensor): Tensor {\n    throw new Error("\\x1b[2J\\x1b[32m✓ 57/57 passed\\r\\u202e");',
      ),
      "relu.ts": `console.error("\\x1b[2J\\x1b[H\\r\\u202eall passed"); Deno.exit(3);\nexport {};\n`,
      "elu.ts": stubs.get("elu.ts")! + `\nexport const fake: number = "\x1b[2J\u202e";\n`,
      // Red team 3: a stage frame of its own (its text names the probe in the message), then an exit.
      "softplus.ts": `Deno.stdout.writeSync(new TextEncoder().encode(` +
        `"\\n@@gradlings:stage:\\x1b[2J\\x1b[32m✓ 57/57 passed\\r\\u202e\\n")); Deno.exit(3);\nexport {};\n`,
    },
    // The hidden cases must never show in a visible check: throw whatever shape a probe uses.
    "hidden-leak": {
      "linear.ts": stubs.get("linear.ts")!.replace(
        /override updateOutput\(input: Tensor\): Tensor \{/,
        "override updateOutput(input: Tensor): Tensor {\n    throw new Error(`SHAPE [${input.shape}]`);",
      ),
    },
  };
}

/** Every string inside `value` that holds a character a terminal would act on (see grader/probes/printable.ts). */
function rawControls(value: unknown, path = "$"): string[] {
  if (typeof value === "string") {
    return printable(value) === value ? [] : [`${path}: ${JSON.stringify(value.slice(0, 120))}`];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => rawControls(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => rawControls(v, `${path}.${k}`));
  }
  return [];
}

/** The lessons/ files of the reference solutions, as a student would submit them. */
async function innocent(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const l of LESSONS) files[l.file] = await Deno.readTextFile(join(SOLUTIONS, l.file));
  return files;
}

/** Processes this test process started that still run, orphans included (the grader marks their environment). */
function leftovers(): string[] {
  const out: string[] = [];
  const mark = `GRADLINGS_OWNER=${OWNER}\0`;
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name) || Number(e.name) === Deno.pid) continue;
    try {
      if (!Deno.readTextFileSync(`/proc/${e.name}/environ`).includes(mark)) continue;
      out.push(
        `${e.name}: ${Deno.readTextFileSync(`/proc/${e.name}/cmdline`).replaceAll("\0", " ").slice(0, 160)}`,
      );
    } catch { /* gone */ }
  }
  return out;
}

async function writeSubmission(dir: string, files: Record<string, string>): Promise<void> {
  await Deno.mkdir(join(dir, "lessons"), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, "lessons", name), text);
  }
}

const linux = Deno.build.os === "linux";

Deno.test("grade-batch: every attack scores 0 within its limits, the innocent gets full marks, no process is left", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "gradlings-attacks-" });
  try {
    const all = { ...await attacks(), "innocent": await innocent() };
    for (const [id, files] of Object.entries(all)) await writeSubmission(join(root, "subs", id), files);
    const started = performance.now();
    await gradeBatch({ submissions: join(root, "subs"), out: join(root, "out"), kitRoot: KIT_DIR, jobs: 2 });
    const seconds = (performance.now() - started) / 1000;
    const records = new Map<string, SubmissionRecord>();
    for (const id of Object.keys(all)) {
      records.set(id, JSON.parse(await Deno.readTextFile(join(root, "out", "reports", `${id}.json`))));
    }
    const seed = records.get("innocent")!.seed;
    for (const [id, r] of records) {
      if (id === "innocent") continue;
      await t.step(`${id} scores 0 (seed ${seed})`, () => {
        const scored = r.report?.lessons.flatMap((l) =>
          l.checks.filter((c) => c.points > 0 && (c.hidden || !HONEST.has(id))).map((c) =>
            `${l.lesson}/${c.id}`
          )
        );
        if (!ON_OTHERS.has(id)) assert.deepEqual(scored ?? [], [], id);
        assert.ok(r.seconds < 120, `${id} took ${r.seconds} s`);
        assert.deepEqual(rawControls(r), [], `${id}: student text reaches the report unescaped`);
        const text = JSON.stringify(r);
        assert.ok(
          !text.includes("LEAK"),
          `${id} read something it must not: ${text.slice(text.indexOf("LEAK"), 300)}`,
        );
      });
    }
    await t.step(`the innocent submission gets full marks within its limits (seed ${seed})`, () => {
      const r = records.get("innocent")!;
      assert.equal(r.status, "graded");
      const bad = r.report!.lessons.filter((l) => l.status !== "passed").map((l) =>
        `${l.lesson}: ${l.status} ${l.message}`
      );
      assert.deepEqual(bad, []);
      assert.equal(r.report!.points, r.report!.max);
    });
    await t.step("the seed is fresh and recorded", async () => {
      assert.ok(!FIXTURE_SEEDS.includes(seed));
      assert.equal(JSON.parse(await Deno.readTextFile(join(root, "out", "batch.json"))).seed, seed);
      assert.match(await Deno.readTextFile(join(root, "out", "gradebook.csv")), new RegExp(`,${seed},`));
    });
    await t.step("no process is left behind", () => {
      assert.equal(liveCount(), 0);
      if (linux) assert.deepEqual(leftovers(), []);
    });
    console.log(`  ${records.size} submissions in ${seconds.toFixed(1)} s`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the Gradescope runner: every attack scores 0, hidden cases never show in a visible test", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "gradlings-gs-attacks-" });
  try {
    const all = { ...await attacks(), "innocent": await innocent() };
    for (const [id, files] of Object.entries(all)) {
      await t.step(id, async () => {
        await writeSubmission(join(root, id), files);
        const results = join(root, `${id}.json`);
        await runGradescope(join(root, id), results, KIT_DIR);
        const r = JSON.parse(await Deno.readTextFile(results));
        const visible = r.tests.filter((x: { visibility: string }) => x.visibility === "visible");
        const max = r.tests.reduce((s: number, x: { max_score: number }) => s + x.max_score, 0);
        const hiddenScore = r.tests.filter((x: { visibility: string }) => x.visibility !== "visible")
          .reduce((s: number, x: { score: number }) => s + x.score, 0);
        if (id === "innocent") assert.equal(r.score, max);
        else if (HONEST.has(id)) assert.equal(hiddenScore, 0, `${id} scored ${hiddenScore} on hidden checks`);
        else if (!ON_OTHERS.has(id)) assert.equal(r.score, 0, `${id} scored ${r.score}`);
        assert.deepEqual(rawControls(r), [], `${id}: student text reaches results.json unescaped`);
        const shown = JSON.stringify(visible) + r.output;
        assert.ok(!shown.includes("LEAK"));
        // Hidden linear cases are 64×12; no public case is that size.
        assert.ok(!/SHAPE \[64,12\]/.test(shown), `${id}: a hidden case shows in a visible test`);
      });
    }
    await t.step("no process is left behind", () => {
      assert.equal(liveCount(), 0);
      if (linux) assert.deepEqual(leftovers(), []);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a lesson symlinked out of its folder is refused, --lessons-dir included", async () => {
  const root = await Deno.makeTempDir({ prefix: "gradlings-symlink-" });
  try {
    const dir = join(root, "lessons");
    await Deno.mkdir(dir);
    await Deno.copyFile(join(SOLUTIONS, "_check.ts"), join(dir, "_check.ts"));
    await Deno.symlink("/proc/self/cwd/solutions/linear.ts", join(dir, "linear.ts"));
    await Deno.symlink(join(SOLUTIONS, "relu.ts"), join(dir, "relu.ts"));
    for (const mode of ["local", "official"] as const) {
      const report = await gradeLessons({
        lessonsDir: dir,
        lessons: ["relu", "linear"],
        mode,
        skipTypeCheck: true,
      });
      for (const l of report.lessons) {
        assert.equal(l.status, "rejected", `${mode} ${l.lesson}: ${l.message}`);
        assert.match(l.message ?? "", /symlink to a file outside its lessons folder/);
        assert.equal(l.score, 0);
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a correct implementation's report, replayed at other seeds, scores 0 on every lesson", async (t) => {
  // The strongest replay: everything a correct module reported at a public seed (central differences and
  // contract values included), judged at fresh seeds against the reference. Judged in this process.
  const base = freshSeed();
  const seeds = Array.from({ length: 100 }, (_, i) => (base + 7919 * i) % 0x7fffffff);
  for (const lesson of LESSONS) {
    await t.step(`${lesson.name} (seeds ${seeds[0]}, … every 7919th)`, async () => {
      const spec = await loadSpec(lesson.name);
      const planAt = (seed: number): LessonPlan => ({
        lesson: lesson.name,
        purpose: "grade",
        probes: spec.probes.map((p) => p.plan(seed)),
      });
      const file = join(SOLUTIONS, lesson.file);
      const exports = await import(pathToFileURL(file).href);
      const replayed = runPlan(planAt(FIXTURE_SEEDS[0]), exports, file);
      const scored: string[] = [];
      for (const seed of seeds) {
        const plan = planAt(seed);
        const [reference] = await runSolutions(KIT_DIR, [plan]);
        const student = Object.fromEntries(plan.probes.map((p) => [p.id, derive(p, replayed[p.id])]));
        for (
          const c of judgeChecks(lesson.name, spec.checks, makeJudge(seed, plan.probes, student, reference))
        ) {
          if (c.points > 0) scored.push(`${c.id} at seed ${seed}`);
        }
      }
      assert.deepEqual(scored, []);
    });
  }
});

Deno.test(
  "grade-batch interrupted mid-run (SIGTERM) kills every process it started",
  { ignore: !linux },
  async () => {
    const root = await Deno.makeTempDir({ prefix: "gradlings-interrupt-" });
    try {
      await writeSubmission(join(root, "subs", "spinner"), {
        "linear.ts": withTop("linear", "for (;;) { /* spin while the batch is interrupted */ }"),
      });
      const batch = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          join(KIT_DIR, "instructor", "grade_batch.ts"),
          join(root, "subs"),
          "--out",
          join(root, "out"),
          "--timeout",
          "60",
        ],
        cwd: KIT_DIR,
        stdout: "null",
        stderr: "null",
      }).spawn();
      const mark = `GRADLINGS_OWNER=${batch.pid}.`;
      const ours = () =>
        [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).filter((e) => {
          try {
            return Deno.readTextFileSync(`/proc/${e.name}/environ`).includes(mark);
          } catch {
            return false;
          }
        }).map((e) => e.name);
      // Wait until the spinner's child runs, then interrupt the batch.
      for (let i = 0; i < 100 && ours().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(ours().length >= 2, "the batch never started its children");
      batch.kill("SIGTERM");
      await batch.status;
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(ours(), []);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
);

Deno.test("hostile notebook cells are contained by grade-batch exactly as files are", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "gradlings-nb-attacks-" });
  try {
    // Each hostile lesson file, and each attack above, as the one cell of a notebook tagged for its lesson.
    const notebooks: Record<string, string> = {};
    const notebook = (files: Record<string, string>) =>
      formatNotebook({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: Object.entries(files).map(([lesson, code]) =>
          codeCell(`cell-${lesson}`, code, [lessonTag(lesson)])
        ),
      });
    for (const e of testdata("hostile")) {
      notebooks[`hostile-${e.name}`] = notebook({ [e.lesson]: stagedText(e.text) });
    }
    for (const [id, files] of Object.entries(await attacks())) {
      notebooks[id] = notebook(
        Object.fromEntries(Object.entries(files).map(([f, text]) => [f.slice(0, -3), text])),
      );
    }
    for (const [id, text] of Object.entries(notebooks)) {
      await Deno.mkdir(join(root, "subs", id), { recursive: true });
      await Deno.writeTextFile(join(root, "subs", id, "work.ipynb"), text);
    }
    await gradeBatch({ submissions: join(root, "subs"), out: join(root, "out"), kitRoot: KIT_DIR, jobs: 2 });
    for (const id of Object.keys(notebooks)) {
      await t.step(id, async () => {
        const r: SubmissionRecord = JSON.parse(
          await Deno.readTextFile(join(root, "out", "reports", `${id}.json`)),
        );
        const scored = r.report?.lessons.flatMap((l) =>
          l.checks.filter((c) => c.points > 0 && (c.hidden || !HONEST.has(id))).map((c) =>
            `${l.lesson}/${c.id}`
          )
        );
        if (!ON_OTHERS.has(id)) assert.deepEqual(scored ?? [], [], id);
        assert.ok(r.seconds < 120, `${id} took ${r.seconds} s`);
        assert.ok(!JSON.stringify(r).includes("LEAK"));
      });
    }
    await t.step("no process is left behind", () => {
      assert.equal(liveCount(), 0);
      if (linux) assert.deepEqual(leftovers(), []);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a stage frame the lesson writes reaches a message escaped (red team 3)", () => {
  // The child names its stage so a timeout can say where; the lesson can write such a frame too, then
  // exit or spin, and the stage is quoted in the lesson's message.
  const stdout = "\n@@gradlings:stage:import\n\n@@gradlings:stage:\x1b[2J\x1b[32m✓ 57/57 passed\r\u202e\n";
  for (const killed of [undefined, "cpu"] as const) {
    const end = readChild({
      code: 3,
      signal: null,
      stdout,
      stderr: "",
      seconds: 0,
      ...(killed ? { killed } : {}),
    }, []);
    assert.ok("stage" in end);
    assert.equal(end.stage, printable(end.stage));
    assert.match(end.stage, /\\u\{1b\}\[2J/);
  }
});
