import assert from "node:assert/strict";
import { extractNotebook, lessonsDirSpecifier } from "./extract.ts";
import { type Cell, codeCell, formatNotebook, lessonTag, NotebookError, SETUP_TAG } from "./ipynb.ts";
import { normalizeReport } from "../workflow/report.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function notebook(...cells: Cell[]): string {
  return formatNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}

/** `deno task grade --notebook FILE --json [lessons]`, as a student runs it. */
async function gradeNotebook(file: string, lessons: string[] = []) {
  const out = await new Deno.Command("deno", {
    args: ["task", "--quiet", "grade", "--notebook", file, "--json", ...lessons],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return { report: normalizeReport(JSON.parse(new TextDecoder().decode(out.stdout))), stderr };
}

Deno.test("extractNotebook() takes a lesson's class with the helpers and imports it uses", () => {
  const { files, notes } = extractNotebook(
    notebook(
      codeCell(
        "a",
        'import { Module } from "../lib/module.ts";\nimport type { Tensor } from "../lib/tensor.ts";',
      ),
      codeCell("b", "export class ReLU extends Module {\n  f(x: Tensor) { return twice(x); }\n}", [
        lessonTag("relu"),
      ]),
      codeCell(
        "c",
        "const SCALE = 2;\nfunction twice(x) { const SCALE = 3; return x.mul(SCALE) ?? scaled(x); }",
      ),
      codeCell("d", "const scaled = (x) => x.mul(SCALE);\nconst x = new ReLU();\nx.f(1);"),
    ),
    "n.ipynb",
  );
  const relu = files.get("relu")!;
  assert.match(relu, /^\/\/ @ts-nocheck/);
  assert.match(
    relu,
    /import \{ Module \} from "\.\.\/lib\/module\.ts";\nimport \{ type Tensor \} from "\.\.\/lib\/tensor\.ts";/,
  );
  // In notebook order: the class (cell 2), then what it uses (cells 3 and 4); scratch code stays out.
  const order = ["export class ReLU", "const SCALE = 2;", "function twice", "const scaled"].map((s) =>
    relu.indexOf(s)
  );
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), relu);
  assert.doesNotMatch(relu, /new ReLU\(\)|x\.f\(1\)/);
  assert.deepEqual(notes.filter((n) => !n.startsWith("no cell defines")), []);
  assert.equal(files.size, 1);
});

Deno.test("extractNotebook() follows Run All: the last declaration of a name, value imports over type imports", () => {
  const { files, notes } = extractNotebook(
    notebook(
      codeCell("s", 'import { Tensor } from "../lib/tensor.ts";', [SETUP_TAG]),
      codeCell("a", "export class Linear { v() { return h(); } }", [lessonTag("linear")]),
      codeCell("b", 'import type { Tensor } from "../lib/tensor.ts";\nfunction h() { return 1; }'),
      codeCell("c", "export class Linear { v() { return h() + Tensor.zeros([1]).size; } }", [
        lessonTag("linear"),
      ]),
      codeCell("d", "function h() { return 2; }"),
      codeCell("e", "Linear.prototype.w = function () { return h(); };"),
    ),
    "n.ipynb",
  );
  const linear = files.get("linear")!;
  assert.match(
    linear,
    /import \{ Tensor \} from "\.\.\/lib\/tensor\.ts";/,
    "the value import of the setup cell",
  );
  assert.match(linear, /return h\(\) \+ Tensor/);
  assert.doesNotMatch(linear, /return h\(\); \} \}/, "the first Linear is replaced");
  assert.match(linear, /function h\(\) \{ return 2; \}/);
  assert.doesNotMatch(linear, /return 1;/);
  assert.match(linear, /Linear\.prototype\.w = function/);
  assert.ok(
    notes.includes(
      "linear: Linear is defined in cells 2, 4; the last one (cell 4) is graded, as Run All leaves it",
    ),
  );
});

Deno.test("extractNotebook() imports another lesson's class from its file instead of copying it", () => {
  const { files } = extractNotebook(
    notebook(
      codeCell("a", "export class ClassNLLCriterion { f() { return new LogSoftMax(); } }", [
        lessonTag("class_nll_criterion"),
      ]),
      codeCell("b", "export class LogSoftMax {}", [lessonTag("log_softmax")]),
    ),
    "n.ipynb",
  );
  assert.match(files.get("class_nll_criterion")!, /import \{ LogSoftMax \} from "\.\/log_softmax\.ts";/);
  assert.doesNotMatch(files.get("class_nll_criterion")!, /class LogSoftMax/);
  assert.match(files.get("log_softmax")!, /export class LogSoftMax \{\}/);
});

Deno.test("extractNotebook() notes what it leaves out or guesses, naming the cell", () => {
  const { files, notes } = extractNotebook(
    notebook(
      codeCell("a", 'class Linear {}\nconsole.log("hi");\nawait check("linear", Linear);', [
        lessonTag("linear"),
      ]),
      codeCell("b", "class ELU {}", ["gradlings:lesson=elu_"]),
      codeCell("c", "class Broken {"),
      codeCell("d", "class SoftMax { f( }", [lessonTag("softmax")]),
      codeCell("e", "// nothing", [lessonTag("dropout")]),
    ),
    "n.ipynb",
  );
  assert.match(files.get("linear")!, /^export class Linear \{\}$/m, "export added to the lesson's class");
  assert.ok(
    notes.includes(
      'cell 1 (linear), line 2: `console.log("hi");` is not graded (only imports and declarations are): move it to a cell of its own',
    ),
  );
  assert.ok(
    notes.some((n) =>
      n.startsWith('cell 1 (linear), line 3: `await check("linear", Linear);` is not graded')
    ),
  );
  assert.ok(
    notes.includes(
      'cell 2: the tag "gradlings:lesson=elu_" names no lesson (did you mean "elu"?); the cell is read as untagged',
    ),
  );
  assert.ok(
    notes.includes(
      "elu: ELU is taken from cell 2, which is not tagged gradlings:lesson=elu (tag it to make this explicit)",
    ),
  );
  assert.ok(
    notes.some((n) => /^cell 3 does not parse \(line 1: .*\): its code is left out$/.test(n)),
    notes.join("\n"),
  );
  assert.ok(
    notes.some((n) => /^cell 4 \(softmax\) does not parse \(line 1: .*\): graded as written$/.test(n)),
  );
  assert.match(files.get("softmax")!, /class SoftMax \{ f\( \}/);
  assert.ok(
    notes.includes(
      "dropout: a cell is tagged gradlings:lesson=dropout, but no cell declares Dropout: graded from the stub, as not started",
    ),
  );
  assert.ok(notes.some((n) => n.startsWith("no cell defines 15 lessons relu, leaky_relu,")));
  assert.equal(files.has("dropout"), false);
});

Deno.test("extractNotebook() refuses what is not a notebook, saying what it expected", () => {
  for (const name of ["invalid_json", "not_a_notebook"]) {
    const text = Deno.readTextFileSync(`${ROOT}/notebook/testdata/${name}.ipynb`);
    assert.throws(() => extractNotebook(text, `${name}.ipynb`), (e) => {
      assert.ok(e instanceof NotebookError);
      assert.match(
        e.message,
        name === "invalid_json"
          ? /^invalid_json\.ipynb is not a notebook: expected the JSON of a \.ipynb file, but it does not parse/
          : /^not_a_notebook\.ipynb is not a notebook: expected a JSON object with a "cells" list$/,
      );
      return true;
    });
  }
  assert.throws(
    () => extractNotebook('{"nbformat": 3, "cells": []}', "old.ipynb"),
    /expected nbformat 4, found 3/,
  );
});

Deno.test("lessonsDirSpecifier() points the kit's imports at the lessons folder from anywhere", () => {
  assert.equal(lessonsDirSpecifier("../lib/tensor.ts"), "../lib/tensor.ts");
  assert.equal(lessonsDirSpecifier("./lib/tensor.ts"), "../lib/tensor.ts");
  assert.equal(lessonsDirSpecifier("../../kit/lessons/_check.ts"), "./_check.ts");
  assert.equal(lessonsDirSpecifier("../solutions/linear.ts"), "../solutions/linear.ts");
  assert.equal(lessonsDirSpecifier("npm:left-pad"), "npm:left-pad");
});

Deno.test("grade --notebook: the instructor notebook gets full marks, the student one only the worked examples", async () => {
  const instructor = await gradeNotebook("notebooks/gradlings_solutions.ipynb");
  assert.equal(instructor.report.points, instructor.report.max);
  assert.ok(instructor.report.lessons.every((l) => l.status === "passed"));
  const student = await gradeNotebook("notebooks/gradlings.ipynb");
  const wrong = student.report.lessons.filter((l) =>
    ["relu", "channelwise_scaling", "mse_criterion", "sgd_momentum", "flatten"].includes(l.lesson)
      ? l.status !== "passed"
      : l.status !== "not started" || l.points !== 0
  );
  assert.deepEqual(wrong.map((l) => `${l.lesson} ${l.status}`), []);
  assert.match(student.stderr, /Grading notebooks\/gradlings\.ipynb: the cells tagged/);
});

Deno.test("grade --notebook: a correct notebook in another style gets full marks", async () => {
  // Helpers in cells of their own (one of them after the class that calls it), lessons in reverse order,
  // a lesson split over cells (a method patched onto the prototype), imports only in the first cell,
  // a SoftMax built on the notebook's LogSoftMax, a type error the kernel never reports, an untagged
  // lesson cell, a draft of a class redefined later, scratch code.
  const { report, stderr } = await gradeNotebook("notebook/testdata/other_style.ipynb");
  assert.deepEqual(report.lessons.filter((l) => l.status !== "passed").map((l) => l.lesson), []);
  assert.equal(report.points, report.max);
  assert.match(stderr, /elu: ELU is taken from cell \d+, which is not tagged/);
  assert.match(stderr, /relu: ReLU is defined in cells \d+, \d+; the last one/);
});

Deno.test("grade --notebook: malformed notebooks get a clear message, never a crash", async (t) => {
  await t.step("not a notebook: exit 2 with the reason", async () => {
    const out = await new Deno.Command("deno", {
      args: ["task", "--quiet", "grade", "--notebook", "notebook/testdata/invalid_json.ipynb"],
      cwd: ROOT,
      stderr: "piped",
      stdout: "piped",
    }).output();
    assert.equal(out.code, 2);
    assert.match(new TextDecoder().decode(out.stderr), /error: .*invalid_json\.ipynb is not a notebook/);
  });
  const cases: [string, string, string, RegExp][] = [
    ["untagged", "linear", "passed", /no cell is tagged gradlings:lesson=<name>/],
    ["unknown_tag", "linear", "passed", /names no lesson \(did you mean "linear"\?\)/],
    ["duplicated", "linear", "failing", /Linear is defined in cells 1, 2; the last one \(cell 2\) is graded/],
    ["extra_code", "linear", "passed", /`await check\("linear", Linear\);` is not graded/],
    ["missing", "linear", "not started", /no cell defines 18 lessons leaky_relu, elu/],
    [
      "syntax_error",
      "linear",
      "does not compile",
      /cell 1 \(linear\) does not parse \(line \d+: .*\): graded as written/,
    ],
  ];
  for (const [name, lesson, status, note] of cases) {
    await t.step(`${name}: ${lesson} ${status}`, async () => {
      const { report, stderr } = await gradeNotebook(`notebook/testdata/${name}.ipynb`, [lesson]);
      assert.equal(report.lessons[0].status, status, stderr);
      assert.match(stderr, note);
      if (name === "duplicated") {
        assert.ok(
          report.lessons[0].checks.some((c) => c.id === "contract.accumulate.gradW" && c.points === 0),
        );
      }
    });
  }
});
