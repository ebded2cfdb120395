/**
 * The two models as data: an {@linkcode Architecture} is a plain list of
 * layer descriptions (saved with the weights), and {@linkcode buildModel}
 * turns it into a `Sequential` of the chosen kit's modules.
 *
 * - `mlp`: Linear 784→H, [BatchNormalization, ChannelwiseScaling], activation,
 *   [Dropout], Linear H→10, LogSoftMax.
 * - `cnn`: two blocks of Conv2d 3×3, [BatchNormalization, ChannelwiseScaling],
 *   activation, MaxPool2d 2 (1→16→32 channels, 28→14→7 pixels), then Flatten,
 *   [Dropout], Linear 1568→10, LogSoftMax. BatchNormalization is per channel
 *   (PyTorch's `BatchNorm2d`): SPEC.md's module takes `[N, D]`, so
 *   `PerChannel` reshapes `[N, C, H, W]` to `[N·H·W, C]` around it. That is
 *   the usual place for batch norm in a CNN (after the convolution, before
 *   the activation) and keeps one mean and variance per channel, which is
 *   what makes it help; normalising the 1,568 flattened features instead
 *   would give every pixel its own statistics from only 32 samples.
 *
 * BatchNormalization uses `alpha = 0.9` (moving averages over ~10 batches;
 * SPEC.md's default 0 would keep only the last batch's statistics).
 *
 * @example
 * ```ts
 * import { mlpArchitecture, describeArchitecture } from "./architecture.ts";
 * const arch = mlpArchitecture({ hidden: 64, activation: "ReLU", batchNorm: false, dropout: 0 });
 * console.assert(describeArchitecture(arch) === "mlp: Linear 784 -> 64, ReLU, Linear 64 -> 10, LogSoftMax");
 * ```
 *
 * @module
 */

import type { Module } from "../lib/module.ts";
import type { Activation, ModelName } from "./cli.ts";
import type { Kit, KitName, SequentialLike } from "./kit.ts";
import { PerChannel } from "./per_channel.ts";

/** One layer, as saved in a weights file. */
export type LayerSpec =
  | { type: "Linear"; nIn: number; nOut: number }
  | { type: "Conv2d"; inChannels: number; outChannels: number; kernelSize: number }
  | { type: "MaxPool2d"; kernelSize: number }
  | { type: "Flatten" }
  | { type: "BatchNormalization"; alpha: number; perChannel: boolean }
  | { type: "ChannelwiseScaling"; nOut: number; perChannel: boolean }
  | { type: "Dropout"; p: number }
  | { type: "ReLU" }
  | { type: "LeakyReLU"; slope: number }
  | { type: "ELU"; alpha: number }
  | { type: "SoftPlus" }
  | { type: "LogSoftMax" };

/** A model as data: which model, the input shape of one sample, the layers. */
export interface Architecture {
  model: ModelName;
  /** `[784]` for the mlp, `[1, 28, 28]` for the cnn. */
  input: number[];
  layers: LayerSpec[];
}

/** The options that shape a model. */
export interface ShapeOptions {
  hidden: number;
  activation: Activation;
  batchNorm: boolean;
  dropout: number;
}

/** BatchNormalization's `alpha` in both models. */
export const BN_ALPHA = 0.9;

function _activation(name: Activation): LayerSpec {
  switch (name) {
    case "ReLU":
      return { type: "ReLU" };
    case "LeakyReLU":
      return { type: "LeakyReLU", slope: 0.03 };
    case "ELU":
      return { type: "ELU", alpha: 1 };
    case "SoftPlus":
      return { type: "SoftPlus" };
  }
}

function _norm(n: number, perChannel: boolean): LayerSpec[] {
  return [
    { type: "BatchNormalization", alpha: BN_ALPHA, perChannel },
    { type: "ChannelwiseScaling", nOut: n, perChannel },
  ];
}

/** The mlp: 784 → hidden → 10. */
export function mlpArchitecture(o: ShapeOptions): Architecture {
  const layers: LayerSpec[] = [
    { type: "Linear", nIn: 784, nOut: o.hidden },
    ...(o.batchNorm ? _norm(o.hidden, false) : []),
    _activation(o.activation),
    ...(o.dropout > 0 ? [{ type: "Dropout", p: o.dropout } as const] : []),
    { type: "Linear", nIn: o.hidden, nOut: 10 },
    { type: "LogSoftMax" },
  ];
  return { model: "mlp", input: [784], layers };
}

/** Channels of the cnn's two convolution blocks. */
export const CNN_CHANNELS = [16, 32] as const;

/** The cnn: two Conv-BN-activation-MaxPool blocks and a Linear classifier. */
export function cnnArchitecture(o: ShapeOptions): Architecture {
  const layers: LayerSpec[] = [];
  let channels = 1;
  let side = 28;
  for (const out of CNN_CHANNELS) {
    layers.push({ type: "Conv2d", inChannels: channels, outChannels: out, kernelSize: 3 });
    if (o.batchNorm) layers.push(..._norm(out, true));
    layers.push(_activation(o.activation), { type: "MaxPool2d", kernelSize: 2 });
    channels = out;
    side /= 2;
  }
  layers.push({ type: "Flatten" });
  if (o.dropout > 0) layers.push({ type: "Dropout", p: o.dropout });
  layers.push({ type: "Linear", nIn: channels * side * side, nOut: 10 }, { type: "LogSoftMax" });
  return { model: "cnn", input: [1, 28, 28], layers };
}

/** The architecture of `model` with the given options. */
export function architectureOf(model: ModelName, o: ShapeOptions): Architecture {
  return model === "mlp" ? mlpArchitecture(o) : cnnArchitecture(o);
}

/** The kit names an architecture needs (to check the exports before training). */
export function kitNamesOf(arch: Architecture): KitName[] {
  const names = new Set<KitName>(["Sequential", "ClassNLLCriterion"]);
  for (const layer of arch.layers) names.add(layer.type);
  return [...names];
}

/** A one-line description: `mlp: Linear 784 -> 256, …`. */
export function describeArchitecture(arch: Architecture): string {
  return `${arch.model}: ${arch.layers.map(_describeLayer).join(", ")}`;
}

function _describeLayer(l: LayerSpec): string {
  switch (l.type) {
    case "Linear":
      return `Linear ${l.nIn} -> ${l.nOut}`;
    case "Conv2d":
      return `Conv2d ${l.inChannels} -> ${l.outChannels} ${l.kernelSize}x${l.kernelSize}`;
    case "MaxPool2d":
      return `MaxPool2d ${l.kernelSize}`;
    case "BatchNormalization":
      return `BatchNormalization${l.perChannel ? " per channel" : ""}`;
    case "ChannelwiseScaling":
      return `ChannelwiseScaling ${l.nOut}${l.perChannel ? " per channel" : ""}`;
    case "Dropout":
      return `Dropout ${l.p}`;
    case "LeakyReLU":
      return `LeakyReLU ${l.slope}`;
    case "ELU":
      return `ELU ${l.alpha}`;
    default:
      return l.type;
  }
}

/**
 * A `Sequential` of `kit`'s modules for `arch`; also returns each layer's
 * module (the `[N, D]` one, inside `PerChannel` where it is wrapped).
 * Initialisation draws from `lib/random.ts`, so seed first.
 */
export function buildModel(kit: Kit, arch: Architecture): { model: SequentialLike; layers: Module[] } {
  const model = new kit.Sequential();
  const layers: Module[] = [];
  for (const l of arch.layers) {
    const m = _buildLayer(kit, l);
    layers.push(m);
    model.add("perChannel" in l && l.perChannel ? new PerChannel(m) : m);
  }
  return { model, layers };
}

function _buildLayer(kit: Kit, l: LayerSpec): Module {
  switch (l.type) {
    case "Linear":
      return new kit.Linear(l.nIn, l.nOut);
    case "Conv2d":
      return new kit.Conv2d(l.inChannels, l.outChannels, l.kernelSize);
    case "MaxPool2d":
      return new kit.MaxPool2d(l.kernelSize);
    case "Flatten":
      return new kit.Flatten();
    case "BatchNormalization":
      return new kit.BatchNormalization(l.alpha);
    case "ChannelwiseScaling":
      return new kit.ChannelwiseScaling(l.nOut);
    case "Dropout":
      return new kit.Dropout(l.p);
    case "ReLU":
      return new kit.ReLU();
    case "LeakyReLU":
      return new kit.LeakyReLU(l.slope);
    case "ELU":
      return new kit.ELU(l.alpha);
    case "SoftPlus":
      return new kit.SoftPlus();
    case "LogSoftMax":
      return new kit.LogSoftMax();
    default:
      throw new TypeError(
        `Cannot build layer: unknown type ${JSON.stringify((l as { type: unknown }).type)}`,
      );
  }
}
