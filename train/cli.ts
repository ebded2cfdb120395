/**
 * The command line of `deno task train`: `mlp`, `cnn` or `evaluate`, and
 * options with defaults. Parsing is pure (no I/O), so every bad input has a
 * test; a bad input is a {@linkcode UsageError} whose message names what was
 * expected and what was received.
 *
 * @example
 * ```ts
 * import { parseCli } from "./cli.ts";
 * const cmd = parseCli(["mlp", "--epochs", "3", "--activation", "ELU"]);
 * console.assert(cmd.kind === "train" && cmd.options.epochs === 3 && cmd.options.activation === "ELU");
 * ```
 *
 * @module
 */

/** The models the command trains. */
export const MODELS = ["mlp", "cnn"] as const;
/** A model name. */
export type ModelName = typeof MODELS[number];
/** Activations the MLP may use (SPEC.md names). */
export const ACTIVATIONS = ["ReLU", "LeakyReLU", "ELU", "SoftPlus"] as const;
/** An activation name. */
export type Activation = typeof ACTIVATIONS[number];
/** The optimizers (SPEC.md names). */
export const OPTIMIZERS = ["sgdMomentum", "adamOptimizer"] as const;
/** An optimizer name. */
export type Optimizer = typeof OPTIMIZERS[number];

/** Everything a training run needs. */
export interface TrainOptions {
  model: ModelName;
  epochs: number;
  batchSize: number;
  optimizer: Optimizer;
  learningRate: number;
  /** sgdMomentum's momentum. */
  momentum: number;
  seed: number;
  /** Hidden units of the MLP; width of the CNN's dense layer is fixed. */
  hidden: number;
  activation: Activation;
  batchNorm: boolean;
  /** Dropout probability (to drop); 0 turns dropout off. */
  dropout: number;
  /** Split sizes and seed (data/mnist.ts). */
  train: number;
  validation: number;
  test: number;
  splitSeed: number;
  /** Output folder (weights, plots). */
  out: string;
  /** Use solutions/mod.ts instead of lessons/mod.ts. */
  solutions: boolean;
  /** No progress bar, no pictures: the summary lines only. */
  quiet: boolean;
}

/** A parsed command line. */
export type Command =
  | { kind: "train"; options: TrainOptions }
  | {
    kind: "evaluate";
    weights: string;
    /** The model the user says the weights are for (checked against the file). */
    model?: ModelName;
    solutions: boolean;
    quiet: boolean;
  }
  | { kind: "help" };

/** A bad command line; `main` prints its message and the usage, without a stack trace. */
export class UsageError extends Error {
  /** The error class the rules ask for: a wrong type/kind or a value out of range. */
  readonly kind: "TypeError" | "RangeError";
  constructor(message: string, kind: "TypeError" | "RangeError" = "RangeError") {
    super(message);
    this.name = "UsageError";
    this.kind = kind;
  }
}

/** Defaults per model: both reach their targets with the reference solutions (README). */
export const DEFAULTS: Record<ModelName, Omit<TrainOptions, "model" | "solutions" | "quiet" | "out">> = {
  mlp: {
    epochs: 12,
    batchSize: 32,
    optimizer: "adamOptimizer",
    learningRate: 2e-3,
    momentum: 0.9,
    seed: 0,
    hidden: 256,
    activation: "ReLU",
    batchNorm: true,
    dropout: 0.2,
    train: 8000,
    validation: 500,
    test: 1500,
    splitSeed: 0,
  },
  cnn: {
    epochs: 8,
    batchSize: 32,
    optimizer: "adamOptimizer",
    learningRate: 1e-3,
    momentum: 0.9,
    seed: 0,
    hidden: 0,
    activation: "ReLU",
    batchNorm: true,
    dropout: 0.2,
    train: 8000,
    validation: 500,
    test: 1500,
    splitSeed: 0,
  },
};

/** The text `--help` prints. */
export const USAGE = `Train an MLP or a CNN on MNIST with your modules (lessons/), or evaluate saved weights.

Usage:
  deno task train mlp [options]
  deno task train cnn [options]
  deno task train evaluate --weights out/mlp/weights.json [mlp|cnn] [--solutions]

Options (defaults: mlp / cnn):
  --epochs N            passes over the training split (${DEFAULTS.mlp.epochs} / ${DEFAULTS.cnn.epochs}; 0 = evaluate the untrained model)
  --batch-size N        samples per step (${DEFAULTS.mlp.batchSize})
  --optimizer NAME      sgdMomentum | adamOptimizer (${DEFAULTS.mlp.optimizer})
  --lr X                learning rate (${DEFAULTS.mlp.learningRate} / ${DEFAULTS.cnn.learningRate}; try 0.05 with sgdMomentum)
  --momentum X          sgdMomentum's momentum (${DEFAULTS.mlp.momentum})
  --seed N              seed of initialisation, dropout and shuffling (${DEFAULTS.mlp.seed})
  --hidden N            MLP hidden units (${DEFAULTS.mlp.hidden})
  --activation NAME     ReLU | LeakyReLU | ELU | SoftPlus (${DEFAULTS.mlp.activation})
  --batch-norm, --no-batch-norm   BatchNormalization + ChannelwiseScaling after each hidden layer (on)
  --dropout P           drop probability, 0 = no Dropout (${DEFAULTS.mlp.dropout})
  --train N, --validation N, --test N   split sizes (${DEFAULTS.mlp.train}, ${DEFAULTS.mlp.validation}, ${DEFAULTS.mlp.test})
  --split-seed N        seed of the data split (${DEFAULTS.mlp.splitSeed})
  --out DIR             output folder, under out/ (out/<model>)
  --solutions           use the reference solutions/ instead of your lessons/
  --quiet               no progress bar or pictures, summary lines only
  --help                this text`;

type _Spec = { type: "int" | "number" | "string" | "flag" };

const _OPTIONS: Record<string, _Spec> = {
  "epochs": { type: "int" },
  "batch-size": { type: "int" },
  "optimizer": { type: "string" },
  "lr": { type: "number" },
  "momentum": { type: "number" },
  "seed": { type: "int" },
  "hidden": { type: "int" },
  "activation": { type: "string" },
  "batch-norm": { type: "flag" },
  "no-batch-norm": { type: "flag" },
  "dropout": { type: "number" },
  "train": { type: "int" },
  "validation": { type: "int" },
  "test": { type: "int" },
  "split-seed": { type: "int" },
  "out": { type: "string" },
  "weights": { type: "string" },
  "solutions": { type: "flag" },
  "quiet": { type: "flag" },
  "help": { type: "flag" },
};

const _OPTIMIZER_ALIASES: Record<string, Optimizer> = {
  sgdmomentum: "sgdMomentum",
  sgd: "sgdMomentum",
  adamoptimizer: "adamOptimizer",
  adam: "adamOptimizer",
};

/**
 * Parses `deno task train` arguments.
 *
 * @throws {UsageError} for an unknown command, model or option, a missing or
 *   malformed value, or a value out of range (negative epochs, dropout ≥ 1…).
 *
 * @example
 * ```ts
 * import { parseCli } from "./cli.ts";
 * const cmd = parseCli(["evaluate", "--weights", "out/mlp/weights.json"]);
 * console.assert(cmd.kind === "evaluate" && cmd.weights === "out/mlp/weights.json");
 * ```
 */
export function parseCli(args: readonly string[]): Command {
  const positionals: string[] = [];
  const values = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = _OPTIONS[name];
    if (!spec) {
      throw new UsageError(`Unknown option: "--${name}" (see --help for the options)`, "TypeError");
    }
    if (spec.type === "flag") {
      if (eq !== -1) throw new UsageError(`Option --${name} takes no value, received "${arg.slice(eq + 1)}"`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !/^--[a-z]/.test(args[i + 1])) value = args[++i];
    if (value === undefined || value === "") {
      throw new UsageError(`Option --${name} needs a value, received none`, "TypeError");
    }
    values.set(name, value);
  }
  if (values.has("help") || positionals[0] === "help") return { kind: "help" };
  if (positionals.length === 0) {
    throw new UsageError(
      `Missing the model: expected "mlp", "cnn" or "evaluate", received nothing`,
      "TypeError",
    );
  }
  const [first, ...rest] = positionals;
  const solutions = values.has("solutions");
  const quiet = values.has("quiet");
  if (first === "evaluate") {
    if (rest.length > 1) {
      throw new UsageError(`Too many arguments: expected at most one model, received ${rest.join(" ")}`);
    }
    const model = rest.length === 1 ? _model(rest[0]) : undefined;
    const weights = values.get("weights");
    if (typeof weights !== "string") {
      throw new UsageError(
        `evaluate needs the weights file: expected --weights FILE, received none`,
        "TypeError",
      );
    }
    for (const name of values.keys()) {
      if (!["weights", "solutions", "quiet"].includes(name)) {
        throw new UsageError(
          `Option --${name} does not apply to evaluate: the weights file describes the model`,
        );
      }
    }
    return { kind: "evaluate", weights, model, solutions, quiet };
  }
  const model = _model(first);
  if (rest.length > 0) {
    throw new UsageError(`Too many arguments: expected one model, received ${positionals.join(" ")}`);
  }
  if (values.has("weights")) {
    throw new UsageError(`--weights is for evaluate: use "deno task train evaluate --weights FILE"`);
  }
  const d = DEFAULTS[model];
  const int = (name: string, fallback: number, min: number) => _int(name, values.get(name), fallback, min);
  const options: TrainOptions = {
    model,
    epochs: int("epochs", d.epochs, 0),
    batchSize: int("batch-size", d.batchSize, 1),
    optimizer: _optimizer(values.get("optimizer"), d.optimizer),
    learningRate: _number("lr", values.get("lr"), d.learningRate, (x) => x > 0, "a number > 0"),
    momentum: _number(
      "momentum",
      values.get("momentum"),
      d.momentum,
      (x) => x >= 0 && x < 1,
      "a number in [0, 1)",
    ),
    seed: int("seed", d.seed, 0),
    hidden: model === "mlp" ? int("hidden", d.hidden, 1) : d.hidden,
    activation: _activation(values.get("activation"), d.activation),
    batchNorm: values.has("no-batch-norm") ? false : values.has("batch-norm") ? true : d.batchNorm,
    dropout: _number(
      "dropout",
      values.get("dropout"),
      d.dropout,
      (x) => x >= 0 && x < 1,
      "a probability in [0, 1)",
    ),
    train: int("train", d.train, 1),
    validation: int("validation", d.validation, 0),
    test: int("test", d.test, 1),
    splitSeed: int("split-seed", d.splitSeed, 0),
    out: _string(values.get("out")) ?? `out/${model}`,
    solutions,
    quiet,
  };
  if (model === "cnn" && values.has("hidden")) {
    throw new UsageError(
      `--hidden applies to the mlp only: the cnn's layers are fixed (see train/architecture.ts)`,
    );
  }
  if (values.has("batch-norm") && values.has("no-batch-norm")) {
    throw new UsageError(`Choose one of --batch-norm and --no-batch-norm, received both`);
  }
  return { kind: "train", options };
}

function _model(name: string): ModelName {
  if ((MODELS as readonly string[]).includes(name)) return name as ModelName;
  throw new UsageError(`Unknown model: expected "mlp", "cnn" or "evaluate", received "${name}"`, "TypeError");
}

function _string(value: string | true | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function _int(name: string, value: string | true | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isSafeInteger(x) || x < min) {
    throw new UsageError(`Option --${name}: expected an integer ≥ ${min}, received "${value}"`);
  }
  return x;
}

function _number(
  name: string,
  value: string | true | undefined,
  fallback: number,
  ok: (x: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(x) || !ok(x)) {
    throw new UsageError(`Option --${name}: expected ${expected}, received "${value}"`);
  }
  return x;
}

function _optimizer(value: string | true | undefined, fallback: Optimizer): Optimizer {
  if (value === undefined) return fallback;
  const found = typeof value === "string" ? _OPTIMIZER_ALIASES[value.toLowerCase()] : undefined;
  if (!found) {
    throw new UsageError(
      `Unknown optimizer: expected ${OPTIMIZERS.join(" or ")}, received "${value}"`,
      "TypeError",
    );
  }
  return found;
}

function _activation(value: string | true | undefined, fallback: Activation): Activation {
  if (value === undefined) return fallback;
  const found = ACTIVATIONS.find((a) => typeof value === "string" && a.toLowerCase() === value.toLowerCase());
  if (!found) {
    throw new UsageError(
      `Unknown activation: expected ${ACTIVATIONS.join(", ")}, received "${value}"`,
      "TypeError",
    );
  }
  return found;
}
