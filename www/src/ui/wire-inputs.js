// The input encoder with the core's field tables, taken from the full wasm
// module at build time (scripts/build-widget.mjs: __REWARDS_INPUTS__). Its
// own chunk, loaded with the first engine.
import { makeEncoder } from './wire-encode.js';

export const { callInputs } = makeEncoder(__REWARDS_INPUTS__);
