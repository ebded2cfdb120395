import assert from "node:assert/strict";
import * as solutions from "./mod.ts";

Deno.test("solutions/mod.ts exports every name of SPEC.md, spelled so", () => {
  const spec = [
    "Sequential",
    "Linear",
    "SoftMax",
    "LogSoftMax",
    "BatchNormalization",
    "ChannelwiseScaling",
    "Dropout",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "SoftPlus",
    "MSECriterion",
    "ClassNLLCriterionUnstable",
    "ClassNLLCriterion",
    "sgdMomentum",
    "adamOptimizer",
    "Conv2d",
    "MaxPool2d",
    "Flatten",
  ];
  assert.deepEqual(Object.keys(solutions).sort(), [...spec].sort());
});
