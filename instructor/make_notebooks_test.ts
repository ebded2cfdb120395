import assert from "node:assert/strict";
import { buildLessons } from "./make_lessons.ts";
import {
  buildNotebooks,
  cellsOf,
  guideMarkdown,
  INSTRUCTOR_NOTEBOOK,
  lessonCellCode,
  main,
  STUDENT_NOTEBOOK,
} from "./make_notebooks.ts";
import { findLesson, LESSONS } from "../grader/manifest.ts";
import { cellSource, checkTag, lessonTag, parseNotebook, tagsOf } from "../notebook/ipynb.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the committed notebooks are what make-notebooks generates", async () => {
  for (const nb of await buildNotebooks(ROOT)) {
    const committed = await Deno.readTextFile(`${ROOT}/${nb.path}`);
    assert.ok(committed === nb.text, `${nb.path} is stale: run deno task make-notebooks`);
  }
  const quiet = console.log;
  console.log = () => {};
  try {
    assert.equal(await main(["--check"]), 0);
  } finally {
    console.log = quiet;
  }
});

Deno.test("each edition has, per lesson, its guide, its tagged code cell and its check cell", async () => {
  const stubs = new Map((await buildLessons(`${ROOT}/solutions`)).map((f) => [f.path, f.text]));
  const editions = [
    { path: STUDENT_NOTEBOOK, code: (file: string) => stubs.get(file)! },
    { path: INSTRUCTOR_NOTEBOOK, code: (file: string) => Deno.readTextFileSync(`${ROOT}/solutions/${file}`) },
  ];
  for (const edition of editions) {
    const nb = parseNotebook(await Deno.readTextFile(`${ROOT}/${edition.path}`), edition.path);
    for (const lesson of LESSONS) {
      const at = nb.cells.findIndex((c) => tagsOf(c).includes(lessonTag(lesson.name)));
      assert.ok(at > 0, `${edition.path}: no cell tagged ${lessonTag(lesson.name)}`);
      assert.equal(nb.cells.filter((c) => tagsOf(c).includes(lessonTag(lesson.name))).length, 1);
      assert.equal(nb.cells[at - 1].cell_type, "markdown");
      assert.match(cellSource(nb.cells[at - 1]), new RegExp(`^## Lesson ${lesson.order} — `));
      assert.equal(
        cellSource(nb.cells[at]),
        lessonCellCode(edition.code(lesson.file), lesson).replace(/\n$/, ""),
      );
      assert.deepEqual(tagsOf(nb.cells[at + 1]), [checkTag(lesson.name)]);
      assert.equal(cellSource(nb.cells[at + 1]), `await check("${lesson.name}", ${lesson.exports[0]});`);
    }
    assert.equal(nb.metadata.kernelspec && (nb.metadata.kernelspec as { name: string }).name, "deno");
  }
});

Deno.test("a guide in the notebook points at the cells and at ../lessons/", async () => {
  const linear = findLesson("linear");
  const text = guideMarkdown(await Deno.readTextFile(`${ROOT}/lessons/linear.md`), linear);
  assert.match(text, /^## Lesson 6 — Linear layer/);
  assert.match(text, /\*\*Write it:\*\* in the code cell below · \*\*Check it:\*\* the cell after it/);
  assert.doesNotMatch(text, /\]\((?!\.\.\/|https?:|#)/, "a link still relative to lessons/");
  assert.match(text, /### Check your work\n\nRun your cell above after every change/);
  assert.doesNotMatch(text, /deno task grade linear/);
  assert.match(text, /```text\n/, "code blocks are kept");
  assert.match(text, /import \{ ChannelwiseScaling \} from "\.\.\/lessons\/channelwise_scaling\.ts";/);
  assert.match(text, /import \{ Tensor \} from "\.\.\/lib\/tensor\.ts";/);
  assert.throws(() => guideMarkdown("# Lesson\n\nNo ending.\n", linear), /expected a last section/);
});

Deno.test("a lesson cell keeps the kit's imports as seen from notebooks/", () => {
  const seq = findLesson("sequential");
  const source = [
    "/**\n * Doc.\n *\n * @module\n */",
    "",
    'import { Module } from "../lib/module.ts";',
    'import { checkTensor } from "./_check.ts";',
    'import { Linear } from "./linear.ts";',
    "",
    "export class Sequential extends Module {}",
    "",
  ].join("\n");
  assert.equal(
    lessonCellCode(source, seq),
    'import { Module } from "../lib/module.ts";\nimport { checkTensor } from "../lessons/_check.ts";\n\n' +
      "export class Sequential extends Module {}\n",
  );
  assert.throws(
    () => lessonCellCode('import { x } from "./other.ts";\n', seq),
    /sequential\.ts: cannot place the import of \.\/other\.ts/,
  );
});

Deno.test("notebook/cells markdown turns into markdown cells and code cells", () => {
  const cells = cellsOf("# Title\n\nText.\n\n```ts ignore\nconst a = 1;\n```\n\nMore.\n", "x", ["t"]);
  assert.deepEqual(cells.map((c) => [c.cell_type, cellSource(c), tagsOf(c)]), [
    ["markdown", "# Title\n\nText.", []],
    ["code", "const a = 1;", ["t"]],
    ["markdown", "More.", []],
  ]);
});
