// Browsers and bundlers: the wasm module is fetched beside this file and instantiated once.
import init, * as raw from './pkg/web/sharestate_wasm.js';
import { makeApi } from './api.js';

await init({ module_or_path: new URL('./pkg/web/sharestate_wasm_bg.wasm', import.meta.url) });

export const {
  minerKey, decodeRegister, verifyLookups, replayPayout, checkPayout, checkCommand, payoutAmount, verifyProofAnswer, transactionId,
  headersRequest, inclusionRequest, headerIdAt, anchorTransaction, anchorVia,
  unspentRequest, unspentBoxes, unspentVia,
  ShareState, BalanceState, Walker, ProofService, handleProofRequest,
} = makeApi(raw);
