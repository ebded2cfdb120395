/**
 * `deno task train`: train an MLP or a CNN on MNIST with your lessons (or the
 * reference solutions), or evaluate saved weights. `--help` lists the
 * options; see train/run.ts for what a run prints and writes.
 *
 * Exit status: 0 on success, 1 for an unfinished lesson or a bad weights
 * file, 2 for a bad command line. Those are reported as a message, without a
 * stack trace.
 *
 * @module
 */

import { parseCli, USAGE, UsageError } from "./cli.ts";
import { architectureOf, kitNamesOf } from "./architecture.ts";
import {
  isNotImplemented,
  type Kit,
  type KitName,
  type KitSource,
  TrainError,
  unfinishedLessonMessage,
  unfinishedLessons,
} from "./kit.ts";
import { runEvaluate, type RunIo, runTrain } from "./run.ts";

/** Where `main` writes, and (for tests) a kit to use instead of lessons/ or solutions/. */
export interface MainDeps {
  io: RunIo;
  err: (text: string) => void;
  kit?: Kit;
}

/** Runs the command for `args`; returns the exit status. */
export async function main(
  args: readonly string[],
  { io, err, kit }: MainDeps = { io: { log: console.log }, err: console.error },
): Promise<number> {
  let source: KitSource = args.includes("--solutions") ? "solutions" : "lessons";
  let needed: KitName[] = [];
  try {
    const cmd = parseCli(args);
    if (cmd.kind === "help") {
      io.log(USAGE);
      return 0;
    }
    if (cmd.kind === "evaluate") {
      source = cmd.solutions ? "solutions" : "lessons";
      await runEvaluate(cmd.weights, cmd.model, cmd.solutions, io, kit);
    } else {
      source = cmd.options.solutions ? "solutions" : "lessons";
      needed = [...kitNamesOf(architectureOf(cmd.options.model, cmd.options)), cmd.options.optimizer];
      await runTrain(cmd.options, io, kit);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`error: ${error.message}\nRun "deno task train --help" for the options.`);
      return 2;
    }
    if (error instanceof TrainError) {
      err(`error: ${error.message}`);
      return 1;
    }
    if (isNotImplemented(error)) {
      const lines = [unfinishedLessonMessage(error, source)];
      if (needed.length > 0) {
        const todo = await unfinishedLessons(needed, source);
        if (todo.length > 1) {
          lines.push("All the lessons this model needs that still have unwritten parts, in teaching order:");
          lines.push(...todo.map((t) => `  ${t}`));
        }
      }
      err(lines.join("\n"));
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
