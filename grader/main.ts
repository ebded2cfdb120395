/**
 * `deno task grade [lesson ...] [--seed N] [--json] [--solutions]
 * [--lessons-dir DIR] [--official] [--timeout S] [--memory MB]`: grades the
 * lessons and prints what passed, what failed and the likely mistake. Exits 0
 * whenever the run itself worked, whatever the score; 2 on a usage error.
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

const USAGE = `Usage: deno task grade [lesson ...] [options]

Lessons: ${LESSON_ORDER.join(", ")} (all when none is named)

Options:
  --seed N            replay a run exactly (fixtures exist for seeds ${FIXTURE_SEEDS.join(", ")}; default ${
  FIXTURE_SEEDS[0]
})
  --json              print a machine-readable report
  --solutions         grade solutions/ instead of lessons/ (instructors: must give full marks)
  --lessons-dir DIR   grade another copy's lessons folder
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
  if (values.solutions && values["lessons-dir"]) {
    throw new RangeError("Invalid options: --solutions and --lessons-dir cannot be combined");
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
  const report = await gradeLessons({
    lessons: cli.lessons,
    seed: cli.seed,
    mode: cli.mode,
    lessonsDir: cli.lessonsDir,
    timeoutMs: cli.timeoutMs,
    heapMb: cli.heapMb,
    onLesson: (r) => {
      writes.push(appendResult(log, r));
      if (!cli.json) console.log(renderLesson(r, c) + "\n");
    },
  });
  await Promise.all(writes);
  console.log(cli.json ? toJson(report) : renderSummary(report, c));
}
