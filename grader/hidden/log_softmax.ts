/**
 * Hidden checks of LogSoftMax (dropped from a student release): wide rows (64
 * columns) of mixed magnitudes, tiny, ordinary, and large with a single
 * spike. Against the reference.
 *
 * @module
 */

import { LOG_SOFTMAX_MISTAKES } from "../specs/log_softmax.ts";
import type { HiddenPart } from "../specs/mod.ts";
import { wideRowsPart } from "./_rows.ts";

/** The hidden part. */
export const hidden: HiddenPart = wideRowsPart("log_softmax", "LogSoftMax", LOG_SOFTMAX_MISTAKES);
