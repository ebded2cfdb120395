/**
 * The modules the trainer builds models from: the student's `lessons/mod.ts`
 * by default, the reference `solutions/mod.ts` with `--solutions`. Also turns
 * a `NotImplementedError` (an unfinished lesson stub) into a message that
 * names the lesson to finish.
 *
 * @example
 * ```ts
 * import { NotImplementedError } from "../lib/module.ts";
 * import { unfinishedLessonMessage } from "./kit.ts";
 * const text = unfinishedLessonMessage(new NotImplementedError("Linear.updateOutput"), "lessons");
 * console.assert(text.includes("lessons/linear.ts") && text.includes("deno task grade linear"));
 * ```
 *
 * @module
 */

import type { Criterion, Module, Parameters } from "../lib/module.ts";
import { LESSONS } from "../grader/manifest.ts";

/** An optimizer of SPEC.md: updates `variables` in place, keeps its memory in `state`. */
export type OptimizerFn = (
  variables: Parameters,
  gradients: Parameters,
  config: Record<string, number>,
  state: Record<string, unknown>,
) => void;

/** A `Sequential` as the trainer uses it. */
export interface SequentialLike extends Module {
  modules: Module[];
  add(module: Module): unknown;
}

/** The exports of a `mod.ts` the trainer needs (SPEC.md names and constructors). */
export interface Kit {
  Sequential: new () => SequentialLike;
  Linear: new (nIn: number, nOut: number) => Module;
  LogSoftMax: new () => Module;
  BatchNormalization: new (alpha?: number) => Module;
  ChannelwiseScaling: new (nOut: number) => Module;
  Dropout: new (p?: number) => Module;
  ReLU: new () => Module;
  LeakyReLU: new (slope?: number) => Module;
  ELU: new (alpha?: number) => Module;
  SoftPlus: new () => Module;
  ClassNLLCriterion: new () => Criterion;
  sgdMomentum: OptimizerFn;
  adamOptimizer: OptimizerFn;
  Conv2d: new (inChannels: number, outChannels: number, kernelSize: number) => Module;
  MaxPool2d: new (kernelSize: number) => Module;
  Flatten: new () => Module;
}

/** A name of {@linkcode Kit}. */
export type KitName = keyof Kit;

/** Where a kit comes from, for messages: `"lessons"` or `"solutions"`. */
export type KitSource = "lessons" | "solutions";

/**
 * An error the command reports as a message, without a stack trace: an
 * unfinished lesson, a missing export, a bad weights file, a bad option.
 */
export class TrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainError";
  }
}

/**
 * Imports `lessons/mod.ts` (or `solutions/mod.ts`) and checks that it exports
 * the names in `needed`.
 *
 * @throws {TrainError} when the file is missing or lacks a needed export; the
 *   message names the lesson that provides it.
 */
export async function loadKit(source: KitSource, needed: readonly KitName[]): Promise<Kit> {
  const url = new URL(`../${source}/mod.ts`, import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = await import(url.href);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND") {
      throw new TrainError(
        `Cannot load ${source}/mod.ts: the file is missing (${error.message.split("\n")[0]})`,
      );
    }
    throw error;
  }
  const missing = needed.filter((name) => typeof mod[name] !== "function");
  if (missing.length > 0) {
    const where = missing.map((name) => `${name} (lesson ${_lessonOf(name)?.name ?? "?"})`).join(", ");
    throw new TrainError(`${source}/mod.ts does not export ${where}: expected every name of SPEC.md`);
  }
  return mod as unknown as Kit;
}

function _lessonOf(className: string) {
  return LESSONS.find((l) => l.exports.includes(className));
}

/**
 * The message for an unfinished stub: which module method is missing and
 * which lesson file to finish, e.g. for the task `"Linear.updateOutput"`.
 */
export function unfinishedLessonMessage(error: { task: string }, source: KitSource): string {
  const className = error.task.split(".")[0];
  const lesson = _lessonOf(className);
  if (!lesson) {
    return `${error.task} is not implemented yet in ${source}/: finish it, then run this again`;
  }
  return [
    `This model needs ${className}, and ${error.task} is not written yet.`,
    `Finish lesson ${lesson.order}, "${lesson.title}", in ${source}/${lesson.file}`,
    `(check it with: deno task grade ${lesson.name}), then run this command again.`,
  ].join("\n");
}

/**
 * True for a `NotImplementedError` from `lib/module.ts` (checked by name and
 * `task`, since the student's copy of the class may be another instance).
 */
export function isNotImplemented(error: unknown): error is Error & { task: string } {
  return error instanceof Error && error.name === "NotImplementedError" &&
    typeof (error as { task?: unknown }).task === "string";
}

/**
 * The lessons among `needed` whose file in `source/` still throws a
 * `NotImplementedError` somewhere (a stub not yet replaced), in teaching
 * order, as `"6 linear (lessons/linear.ts)"`. A file that cannot be read is
 * skipped: this only adds detail to the message. `root` is the repository
 * (tests point it elsewhere).
 */
export async function unfinishedLessons(
  needed: readonly KitName[],
  source: KitSource,
  root: URL = new URL("../", import.meta.url),
): Promise<string[]> {
  const lessons = LESSONS.filter((l) => l.exports.some((e) => (needed as readonly string[]).includes(e)));
  const out: string[] = [];
  for (const lesson of lessons) {
    try {
      const text = await Deno.readTextFile(new URL(`${source}/${lesson.file}`, root));
      if (text.includes("new NotImplementedError(")) {
        out.push(`${lesson.order} ${lesson.name} (${source}/${lesson.file})`);
      }
    } catch {
      // Unreadable: leave it out of the list.
    }
  }
  return out;
}
