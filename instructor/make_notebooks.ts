/**
 * `deno task make-notebooks`: generates the notebook edition of the kit from
 * the same sources as `lessons/` and `solutions/`, so it never drifts:
 *
 * - `notebooks/gradlings.ipynb`, the student edition: each lesson's code cell
 *   is its stub, as `make-lessons` generates it;
 * - `notebooks/gradlings_solutions.ipynb`, the instructor edition: the
 *   reference solution instead (never released to students).
 *
 * One notebook holds every lesson, in the manifest's order and groups, then
 * the capstone: the kernel keeps what a cell defines, so Sequential can chain
 * the Linear defined above it, a ClassNLLCriterion may use the LogSoftMax of
 * lesson 9, and the capstone trains with all of them (the seed homework ran
 * its modules notebook from its training notebook for the same reason).
 * Per lesson: the guide (`lessons/<name>.md`, headings shifted one level
 * down, links and its examples' imports pointed at `../lessons/`, its "Check your work" section and
 * its mentions of `deno task grade <lesson>` about the notebook's check cell), the code cell tagged
 * `gradlings:lesson=<name>`, and the check cell tagged `gradlings:check=<name>`.
 * The introduction and the capstone come from `notebook/cells/intro.md` and
 * `notebook/cells/capstone.md`, whose ```` ```ts ignore ```` blocks become code
 * cells.
 *
 * A code cell is its lesson file without the module doc, with the kit's
 * imports as seen from `notebooks/` (`../lib/…` unchanged, `./_check.ts` as
 * `../lessons/_check.ts`); an import of another lesson is left out, since
 * that lesson's cell defines the name above.
 *
 * ```sh
 * deno task make-notebooks            # write notebooks/
 * deno task make-notebooks --check    # exit 1 naming the notebooks that differ; writes nothing
 * ```
 *
 * @module
 */

import { buildLessons } from "./make_lessons.ts";
import { findLesson, type Lesson, LESSONS } from "../grader/manifest.ts";
import {
  CAPSTONE_TAG,
  type Cell,
  checkTag,
  codeCell,
  DENO_METADATA,
  formatNotebook,
  lessonTag,
  markdownCell,
  type Notebook,
  SETUP_TAG,
} from "../notebook/ipynb.ts";

/** The student edition, relative to the kit's root. */
export const STUDENT_NOTEBOOK = "notebooks/gradlings.ipynb";
/** The instructor edition (with the reference solutions), relative to the kit's root. */
export const INSTRUCTOR_NOTEBOOK = "notebooks/gradlings_solutions.ipynb";

/** The lesson groups of the manifest (its module doc), each named by its first lesson. */
const GROUPS: readonly { first: string; title: string }[] = [
  { first: "relu", title: "Elementwise activations" },
  { first: "channelwise_scaling", title: "Layers with parameters" },
  { first: "softmax", title: "Row-wise normalisations" },
  { first: "batch_normalization", title: "Training and evaluation modes" },
  { first: "mse_criterion", title: "Criterions" },
  { first: "sgd_momentum", title: "Optimizers" },
  { first: "flatten", title: "Image layers" },
];

/** The setup cell: what the check cells and a student's experiments use. */
const SETUP =
  `// The kit: the check cells' \`check\`, and what the lessons build on (for your own experiments too).
import { check } from "../notebook/check.ts";
import { Tensor } from "../lib/tensor.ts";
import { seed } from "../lib/random.ts";
`;

/** Outside fenced code blocks, `#` headings one level down (the notebook has one title). */
function _shiftHeadings(markdown: string): string {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
  }).join("\n");
}

/** A lesson guide as a notebook cell; see the module doc. */
export function guideMarkdown(guide: string, lesson: Lesson): string {
  const notebookCheck = [
    "### Check your work",
    "",
    `Run your cell above after every change, then the check below: it runs the public checks on your ` +
    `\`${lesson.exports[0]}\` right here. Your grade comes from \`deno task grade --notebook ` +
    `notebooks/gradlings.ipynb\`, which adds hidden checks.`,
  ].join("\n");
  const text = _shiftHeadings(guide)
    .replace(
      /\*\*File:\*\* \[`[^`]+`\]\([^)]+\) · \*\*Grade it:\*\*\s+`deno task grade \w+`/,
      "**Write it:** in the code cell below · **Check it:** the cell after it",
    )
    // Relative links from lessons/ as seen from notebooks/ (`../x` is the same from both), and the
    // examples' imports of lesson files, so an example pasted into a cell runs.
    .replace(/\]\((?!\.\.\/|[a-z]+:|#)([^)]+)\)/g, "](../lessons/$1)")
    .replace(/(\bfrom\s+")\.\/([\w.]+\.ts")/g, "$1../lessons/$2")
    .replace(/^### Check your work\n[\s\S]*$/m, notebookCheck)
    // In the text, the grade command becomes the check cell (capitalised where a sentence starts).
    .replace(
      /(\.\*{0,2}\s+)?`deno task grade \w+`/g,
      (_, start: string | undefined) => start ? `${start}The check cell` : "the check cell",
    );
  if (!text.includes(notebookCheck)) {
    throw new Error(`${lesson.guide}: expected a last section "## Check your work" to replace`);
  }
  return text.trimEnd() + "\n";
}

/** A lesson file as a notebook code cell; see the module doc. */
export function lessonCellCode(source: string, lesson: Lesson): string {
  const lessonFiles = new Set(LESSONS.map((l) => l.file));
  let text = source.replace(/^\/\*\*[\s\S]*?@module\s*\*\/\s*/, "");
  text = text.replace(
    /^import\b[^;]*?from\s*"\.\/([^"]+)";\n/gm,
    (statement, file: string) => {
      if (lessonFiles.has(file)) return ""; // that lesson's cell defines the name above this one
      if (file.startsWith("_")) return statement.replace(`"./${file}"`, `"../lessons/${file}"`);
      throw new Error(`${lesson.file}: cannot place the import of ./${file} in a notebook cell`);
    },
  );
  return text.trimStart().trimEnd() + "\n";
}

/** The cells of `notebook/cells/<name>.md`: prose as markdown cells, each ```` ```ts ignore ```` block a code cell. */
export function cellsOf(markdown: string, idPrefix: string, tags: string[]): Cell[] {
  const cells: Cell[] = [];
  const parts = markdown.split(/^```ts ignore\n([\s\S]*?)^```\n?/m);
  parts.forEach((part, i) => {
    const text = part.trim();
    if (text === "") return;
    const id = `${idPrefix}-${cells.length + 1}`;
    cells.push(i % 2 === 1 ? codeCell(id, text + "\n", tags) : markdownCell(id, text + "\n"));
  });
  return cells;
}

/** Both editions, from the kit at `root`. */
export async function buildNotebooks(root: string): Promise<{ path: string; text: string }[]> {
  const stubs = new Map((await buildLessons(`${root}/solutions`)).map((f) => [f.path, f.text]));
  const read = (path: string) => Deno.readTextFile(`${root}/${path}`);
  const intro = cellsOf(await read("notebook/cells/intro.md"), "intro", []);
  const capstone = cellsOf(await read("notebook/cells/capstone.md"), "capstone", [CAPSTONE_TAG]);
  for (const g of GROUPS) findLesson(g.first);
  const editions = [
    { path: STUDENT_NOTEBOOK, code: (l: Lesson) => Promise.resolve(stubs.get(l.file)!) },
    { path: INSTRUCTOR_NOTEBOOK, code: (l: Lesson) => read(`solutions/${l.file}`) },
  ];
  const out: { path: string; text: string }[] = [];
  for (const edition of editions) {
    const cells: Cell[] = [...intro, codeCell("setup", SETUP, [SETUP_TAG])];
    let group = 0;
    for (const lesson of LESSONS) {
      const g = GROUPS.find((x) => x.first === lesson.name);
      if (g) cells.push(markdownCell(`group-${++group}`, `# ${group}. ${g.title}\n`));
      cells.push(
        markdownCell(`guide-${lesson.name}`, guideMarkdown(await read(`lessons/${lesson.guide}`), lesson)),
        codeCell(
          `lesson-${lesson.name}`,
          lessonCellCode(await edition.code(lesson), lesson),
          [lessonTag(lesson.name)],
        ),
        codeCell(
          `check-${lesson.name}`,
          `await check("${lesson.name}", ${lesson.exports[0]});\n`,
          [checkTag(lesson.name)],
        ),
      );
    }
    cells.push(...capstone);
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: DENO_METADATA, cells };
    out.push({ path: edition.path, text: formatNotebook(nb) });
  }
  return out;
}

const USAGE = `Usage: deno task make-notebooks [--check]

Generates notebooks/gradlings.ipynb (stubs) and notebooks/gradlings_solutions.ipynb (reference)
from the lesson guides, solutions/ and notebook/cells/.

  --check   write nothing; exit 1 naming the notebooks that differ from what would be generated
  --help    show this help`;

/** The command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const root = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");
  const unknown = args.filter((a) => !["--check", "--help", "-h"].includes(a));
  if (unknown.length > 0) {
    console.error(`make-notebooks: unknown argument "${unknown[0]}"\n\n${USAGE}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const notebooks = await buildNotebooks(root);
  const stale: string[] = [];
  for (const nb of notebooks) {
    const current = await Deno.readTextFile(`${root}/${nb.path}`).catch(() => undefined);
    if (current !== nb.text) stale.push(nb.path);
  }
  if (args.includes("--check")) {
    if (stale.length === 0) {
      console.log(`make-notebooks: ${notebooks.map((n) => n.path).join(" and ")} are up to date`);
      return 0;
    }
    console.error(`make-notebooks: out of date: ${stale.join(", ")}\nRun \`deno task make-notebooks\``);
    return 1;
  }
  await Deno.mkdir(`${root}/notebooks`, { recursive: true });
  for (const nb of notebooks) {
    if (!stale.includes(nb.path)) continue;
    await Deno.writeTextFile(`${root}/${nb.path}`, nb.text);
    console.log(`wrote ${nb.path}`);
  }
  console.log(`make-notebooks: notebooks/ is up to date (${stale.length} written)`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
