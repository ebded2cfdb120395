/**
 * Hidden checks of SoftMax (dropped from a student release): wide rows (64
 * columns) of mixed magnitudes, tiny, ordinary, and large with a single
 * spike. Against the reference.
 *
 * @module
 */

import { SOFTMAX_MISTAKES } from "../specs/softmax.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { wideRowsPart } from "./_rows.ts";

/** The hidden part. */
export const hidden: HiddenPart = wideRowsPart("softmax", "SoftMax", SOFTMAX_MISTAKES);
