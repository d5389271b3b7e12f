// The verify-and-prove subset (`sharestate/lite`) for Node: the wasm module is read from the
// package directory synchronously.
import { createRequire } from 'node:module';
import { makeLiteApi } from './api.js';

const raw = createRequire(import.meta.url)('./pkg/lite-node/sharestate_lite.js');

export const { minerKey, decodeRegister, verifyLookups, replayPayout, payoutAmount, ShareState } = makeLiteApi(raw);
