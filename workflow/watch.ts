/**
 * `deno task watch [--manual]`: the student's loop. Grades the current lesson
 * (the first not yet passed, in teaching order), re-grades it whenever a file
 * in `lessons/` is saved (debounced), and moves on when it passes. One key,
 * no Enter: `h` hint, `n` next lesson, `l` list, `r` re-run, `q` quit.
 * `--manual` watches no files (for file systems that send no change events):
 * press `r` after saving. When the last lesson passes, every lesson is
 * re-graded once and the student is sent to train on MNIST.
 *
 * The screen is a pure function of the session's state
 * ({@linkcode WatchSession.render}), so it is tested without a terminal.
 *
 * @module
 */

import chalk from "chalk";
import { type Lesson, LESSONS } from "../grader/manifest.ts";
import { formatHints, revealHint } from "./hint.ts";
import { lessonTable, paintStatus } from "./list.ts";
import { currentLesson, lessonResult, progressLine, summarize } from "./progress.ts";
import { checkFeedback, grade, type GradeReport, type LessonReport } from "./report.ts";

/** What the session needs from the outside world (replaced in tests). */
export interface WatchDeps {
  /** Grades the given lessons (all when empty). */
  grade(lessons: readonly string[]): Promise<GradeReport>;
  /** Reveals the next hint of a lesson, as text. */
  hint(lesson: string): Promise<string>;
  /** The lessons, in teaching order. */
  lessons: readonly Lesson[];
}

/** What the screen shows under the header. */
type View = "result" | "list" | "hint" | "done";

function _pts(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The state of a watch session and its reactions to keys and saves. */
export class WatchSession {
  /** The latest grade of every lesson (merged from partial runs). */
  report: GradeReport = { seed: 0, lessons: [], points: 0, max: 0, hiddenPending: 0, time: 0 };
  /** The lesson being worked on; undefined once all pass. */
  current: Lesson | undefined;
  /** What the body of the screen shows. */
  view: View = "result";
  /** A one-line notice above the result (e.g. "relu passed"). */
  notice = "";
  /** The hint text when `view` is `hint`. */
  hintText = "";
  /** True while a grading run is going on. */
  busy = false;
  /** False once `q` was pressed. */
  running = true;
  readonly #deps: WatchDeps;

  constructor(deps: WatchDeps) {
    this.#deps = deps;
  }

  #merge(partial: GradeReport): void {
    const byName = new Map(this.report.lessons.map((l) => [l.lesson, l]));
    for (const l of partial.lessons) byName.set(l.lesson, l);
    const lessons = this.#deps.lessons.map((l) => byName.get(l.name)).filter((l): l is LessonReport => !!l);
    this.report = {
      ...partial,
      lessons,
      points: lessons.reduce((s, l) => s + l.points, 0),
      max: lessons.reduce((s, l) => s + l.max, 0),
      hiddenPending: partial.lessons.length === this.#deps.lessons.length
        ? partial.hiddenPending
        : this.report.hiddenPending,
    };
  }

  /** Grades everything once and picks the current lesson. */
  async start(): Promise<void> {
    await this.#gradeAll();
  }

  async #gradeAll(): Promise<void> {
    this.busy = true;
    try {
      this.#merge(await this.#deps.grade([]));
    } finally {
      this.busy = false;
    }
    this.current = currentLesson(this.report, this.#deps.lessons);
    this.view = this.current ? "result" : "done";
  }

  /** Re-grades the current lesson; on a pass, moves on (and re-grades all after the last one). */
  async rerun(): Promise<void> {
    if (!this.current) {
      await this.#gradeAll();
      return;
    }
    const name = this.current.name;
    this.busy = true;
    try {
      this.#merge(await this.#deps.grade([name]));
    } finally {
      this.busy = false;
    }
    this.view = "result";
    this.notice = "";
    if (lessonResult(this.report, name)?.status !== "passed") return;
    const next = this.#nextUnpassed(this.current);
    if (next) {
      this.notice = `✓ ${name} passed. Next: ${next.name}`;
      this.current = next;
      await this.rerun();
      this.notice = `✓ ${name} passed. Next: ${next.name}`;
      return;
    }
    // The last lesson passed: confirm with one full run before the finale.
    this.notice = `✓ ${name} passed. Re-grading every lesson once…`;
    await this.#gradeAll();
    this.notice = this.current ? `Re-grading found ${this.current.name} not passing any more` : "";
  }

  #nextUnpassed(after: Lesson): Lesson | undefined {
    const all = this.#deps.lessons;
    const at = all.findIndex((l) => l.name === after.name);
    const order = [...all.slice(at + 1), ...all.slice(0, at)];
    return order.find((l) => lessonResult(this.report, l.name)?.status !== "passed");
  }

  /** Reacts to one key press. */
  async key(k: string): Promise<void> {
    switch (k) {
      case "q":
      case "\x03": // Ctrl-C in raw mode
        this.running = false;
        return;
      case "r":
        await this.rerun();
        return;
      case "l":
        this.view = this.view === "list" ? "result" : "list";
        return;
      case "h":
        if (this.current) {
          this.hintText = await this.#deps.hint(this.current.name);
          this.view = "hint";
        }
        return;
      case "n": {
        if (!this.current) return;
        const next = this.#nextUnpassed(this.current);
        if (next) {
          this.current = next;
          this.notice = `Skipped to ${next.name}`;
          await this.rerun();
          this.notice = `Skipped to ${next.name}`;
        }
        return;
      }
      case "\r":
      case "\n":
        this.view = "result";
        return;
    }
  }

  /** The whole screen as text (without the clear-screen sequence). */
  render(): string {
    const lines: string[] = [];
    const all = this.#deps.lessons;
    const progress = summarize(this.report, all);
    if (this.view === "done") {
      lines.push(
        chalk.bold.green(`🎉 All ${all.length} lessons pass. Your network library is complete.`),
        "",
        "Now train it on MNIST digits:",
        "",
        "  deno task train mlp     # a multilayer perceptron",
        "  deno task train cnn     # a small convolutional network",
        "",
        progressLine(progress),
      );
      if (this.report.hiddenPending > 0) {
        lines.push(
          `${
            _pts(this.report.hiddenPending)
          } more points are decided by hidden checks when your instructor grades.`,
        );
      }
      lines.push("", chalk.dim("r re-grade everything · l list · q quit"));
      if (this.view === "done" && this.busy) lines.push(chalk.dim("Grading…"));
      return lines.join("\n");
    }
    const c = this.current;
    if (c) {
      lines.push(chalk.bold(`gradlings · lesson ${c.order}/${all.length}: ${c.title} (${c.name})`));
      lines.push(`Edit ${chalk.cyan(`lessons/${c.file}`)} · guide lessons/${c.guide}`);
    }
    lines.push("");
    if (this.notice) lines.push(chalk.green(this.notice), "");
    if (this.busy) lines.push(chalk.dim("Grading…"), "");
    if (this.view === "list") {
      lines.push(lessonTable(this.report, all, { current: c?.name }));
    } else if (this.view === "hint") {
      lines.push(this.hintText, "", chalk.dim("Press any listed key; Enter goes back to the result"));
    } else if (c) {
      lines.push(...this.#result(c));
    }
    lines.push("", progressLine(progress), "");
    lines.push(chalk.dim("h hint · n next lesson · l list · r re-run · q quit"));
    return lines.join("\n");
  }

  #result(c: Lesson): string[] {
    const r = lessonResult(this.report, c.name);
    if (!r) return [chalk.dim("Not graded yet.")];
    const out = [
      `${
        paintStatus(
          r.status,
          `${r.status === "passed" ? "✓" : r.status === "not started" ? "·" : "✗"} ${r.status}`,
        )
      } · ${r.given ? "worked example (0 points)" : `${_pts(r.points)}/${_pts(r.max)} points`}`,
    ];
    if (r.message) out.push("", r.message);
    if (r.status === "not started") {
      // Every check waits on the same stub: say it once, with where to start.
      const first = r.checks.find((ch) => ch.status === "not started" && ch.message);
      if (first) out.push("", chalk.dim(`${first.message} (${r.checks.length} checks waiting)`));
      out.push(
        "",
        `Open lessons/${c.file}, find the TODOs (guide: lessons/${c.guide}), and save: this screen re-grades on every save.`,
      );
      return out;
    }
    if (r.checks.length) out.push("");
    for (const ch of r.checks) {
      const ok = ch.status === "passed";
      const mark = ok ? chalk.green("✓") : ch.status === "not started" ? chalk.dim("·") : chalk.red("✗");
      out.push(`${mark} ${ch.name}${r.given ? "" : ` ${chalk.dim(`(${_pts(ch.points)}/${_pts(ch.max)})`)}`}`);
      if (!ok && ch.message) out.push(`    ${checkFeedback(ch).replaceAll("\n", "\n    ")}`);
    }
    return out;
  }
}

const CLEAR = "\x1b[2J\x1b[3J\x1b[H";

async function _main(args: string[]): Promise<number> {
  const manual = args.includes("--manual");
  const unknown = args.filter((a) => a !== "--manual");
  if (unknown.length) {
    console.error(`Unknown argument ${unknown[0]}: usage is deno task watch [--manual]`);
    return 2;
  }
  const encoder = new TextEncoder();
  const session = new WatchSession({
    lessons: LESSONS,
    grade: (lessons) => grade({ lessons }),
    hint: async (name) => {
      const { revealed, total, isNew } = await revealHint(name);
      return formatHints(name, revealed, total, isNew, "Press h again for the next hint.");
    },
  });
  const draw = () => Deno.stdout.writeSync(encoder.encode(CLEAR + session.render() + "\n"));
  const tty = Deno.stdin.isTerminal();
  if (tty) Deno.stdin.setRaw(true);
  let watcher: Deno.FsWatcher | undefined;
  try {
    session.busy = true;
    draw();
    await session.start();
    draw();

    let pending: Promise<void> = Promise.resolve();
    const enqueue = (fn: () => Promise<void>) => {
      pending = pending.then(async () => {
        if (!session.running) return;
        await fn();
        draw();
      }).catch((e) => {
        session.notice = chalk.red(`The grader failed: ${(e as Error).message}`);
        draw();
      });
      return pending;
    };

    if (!manual) {
      watcher = Deno.watchFs("lessons", { recursive: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      let queued = false;
      (async () => {
        for await (const event of watcher!) {
          if (!event.paths.some((p) => p.endsWith(".ts")) || event.kind === "access") continue;
          clearTimeout(timer);
          timer = setTimeout(() => {
            if (queued) return;
            queued = true;
            enqueue(async () => {
              queued = false;
              session.busy = true;
              draw();
              await session.rerun();
            });
          }, 250);
        }
      })().catch(() => {});
    }

    const buf = new Uint8Array(16);
    while (session.running) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      for (const ch of new TextDecoder().decode(buf.subarray(0, n))) {
        const k = ch.toLowerCase();
        if (k === "q" || k === "\x03") {
          session.running = false;
          break;
        }
        if (k === "r" || k === "n") {
          session.busy = true;
          draw();
        }
        await enqueue(() => session.key(k));
      }
    }
    await pending;
  } finally {
    watcher?.close();
    if (tty) Deno.stdin.setRaw(false);
  }
  console.log("Bye. Your progress is your code: deno task watch picks up where you left off.");
  return 0;
}

if (import.meta.main) Deno.exit(await _main(Deno.args));
