/**
 * `deno task grade [lesson ...] [--seed N] [--json] [--solutions]
 * [--lessons-dir DIR] [--notebook FILE] [--official] [--timeout S] [--memory MB]`:
 * grades the lessons and prints what passed, what failed and the likely
 * mistake. Exits 0 whenever the run itself worked, whatever the score; 2 on a
 * usage error.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { gradeLessons, KIT_DIR, type LessonResult, resolveLessons } from "./grade.ts";
import { makeChalk, renderLesson, renderSummary, toJson } from "./report.ts";
import { FIXTURE_SEEDS } from "./reference/fixtures.ts";
import { hasSolutions } from "./reference/solutions.ts";
import { killAllOnSignals } from "./sandbox/spawn.ts";
import { LESSON_ORDER } from "./specs/mod.ts";
import { extractForGrading, NotebookError, type NotebookLessons } from "../notebook/extract.ts";

const USAGE = `Usage: deno task grade [lesson ...] [options]

Lessons: ${LESSON_ORDER.join(", ")} (all when none is named)

Options:
  --seed N            replay a run exactly (fixtures exist for seeds ${FIXTURE_SEEDS.join(", ")}; default ${
  FIXTURE_SEEDS[0]
})
  --json              print a machine-readable report
  --solutions         grade solutions/ instead of lessons/ (instructors: must give full marks)
  --lessons-dir DIR   grade another copy's lessons folder
  --notebook FILE     grade a notebook (.ipynb): its tagged lesson cells, extracted into a lessons folder
  --official          instructors: grade as grade-batch does, at a fresh seed against solutions/
  --timeout S         CPU seconds per lesson (default 10)
  --memory MB         heap limit per lesson (default 256)
  --help              this text`;

/** Parses the command line; throws a `RangeError` on a usage error. */
export function parseCli(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      solutions: { type: "boolean", default: false },
      "lessons-dir": { type: "string" },
      notebook: { type: "string" },
      official: { type: "boolean", default: false },
      timeout: { type: "string" },
      memory: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const num = (name: string, v: string | undefined, check: (n: number) => boolean) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!check(n)) throw new RangeError(`Invalid --${name}: expected a number, received "${v}"`);
    return n;
  };
  if ([values.solutions || undefined, values["lessons-dir"], values.notebook].filter((v) => v).length > 1) {
    throw new RangeError("Invalid options: --solutions, --lessons-dir and --notebook cannot be combined");
  }
  const seed = num("seed", values.seed, Number.isSafeInteger);
  const needsSolutions = values.official || (seed !== undefined && !FIXTURE_SEEDS.includes(seed));
  if (needsSolutions && !hasSolutions(KIT_DIR)) {
    throw new RangeError(
      values.official
        ? "Invalid option --official: this copy has no solutions/ to grade against"
        : `Invalid --seed: this copy has reference values for seeds ${
          FIXTURE_SEEDS.join(", ")
        } only, received ${seed}`,
    );
  }
  return {
    help: values.help,
    json: values.json,
    lessons: resolveLessons(positionals),
    seed,
    mode: values.official ? "official" as const : "local" as const,
    lessonsDir: values.solutions ? join(KIT_DIR, "solutions") : values["lessons-dir"],
    notebook: values.notebook,
    timeoutMs: (num("timeout", values.timeout, (n) => n > 0) ?? 10) * 1000,
    heapMb: num("memory", values.memory, (n) => Number.isInteger(n) && n >= 32),
  };
}

async function appendResult(path: string, r: LessonResult): Promise<void> {
  try {
    await Deno.mkdir(join(KIT_DIR, ".gradlings"), { recursive: true });
    await Deno.writeTextFile(path, JSON.stringify(r) + "\n", { append: true });
  } catch { /* keeping a log is best effort */ }
}

if (import.meta.main) {
  let cli;
  try {
    cli = parseCli(Deno.args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (cli.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  killAllOnSignals();
  const c = makeChalk();
  const log = join(KIT_DIR, ".gradlings", "last-run.jsonl");
  try {
    await Deno.remove(log);
  } catch { /* none yet */ }
  const writes: Promise<void>[] = [];
  let notebook: NotebookLessons | undefined;
  if (cli.notebook) {
    try {
      notebook = await extractForGrading(cli.notebook, KIT_DIR);
    } catch (e) {
      if (!(e instanceof NotebookError)) throw e;
      console.error(`error: ${e.message}`);
      Deno.exit(2);
    }
    const where = cli.json ? console.error : console.log;
    where(`Grading ${cli.notebook}: the cells tagged gradlings:lesson=<name> and the code they use`);
    for (const note of notebook.notes) where(`  note: ${note}`);
    where("");
  }
  const report = await gradeLessons({
    lessons: cli.lessons,
    seed: cli.seed,
    mode: cli.mode,
    // The task may write only under .gradlings/: an official run's sandbox folders go there.
    ...(cli.mode === "official" ? { sandboxParent: join(KIT_DIR, ".gradlings", "official") } : {}),
    lessonsDir: notebook?.lessonsDir ?? cli.lessonsDir,
    timeoutMs: cli.timeoutMs,
    heapMb: cli.heapMb,
    onLesson: (r) => {
      writes.push(appendResult(log, r));
      if (cli.json) return;
      const text = notebook
        ? notebook.pointToNotebook(renderLesson({ ...r, file: notebook.source(r.lesson) }, c))
        : renderLesson(r, c);
      console.log(text + "\n");
    },
  });
  await Promise.all(writes);
  await notebook?.remove();
  const summary = cli.json ? toJson(report) : renderSummary(report, c);
  console.log(notebook && !cli.json ? notebook.pointToNotebook(summary) : summary);
}
