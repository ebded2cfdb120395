/**
 * Types for the untyped npm package `asciichart` 1.5.25 (MIT): the part the
 * trainer uses.
 *
 * @module
 */

/** Options of {@linkcode plot}. */
export interface PlotConfig {
  /** Rows of the chart (the y range is split into this many steps). */
  height?: number;
  /** Lower bound of the y axis (the data minimum when larger). */
  min?: number;
  /** Upper bound of the y axis (the data maximum when smaller). */
  max?: number;
  /** Characters before the axis. */
  offset?: number;
  /** Left padding of the y labels. */
  padding?: string;
  /** Formats a y label. */
  format?: (value: number, index: number) => string;
  /** One ANSI colour per series. */
  colors?: string[];
}

/** A line chart of one series, or several of the same length, as text. */
export function plot(series: number[] | number[][], config?: PlotConfig): string;

/** ANSI colours for `colors`. */
export const blue: string;
export const green: string;
export const red: string;
export const yellow: string;
export const reset: string;
