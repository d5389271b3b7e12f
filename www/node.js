// Node: the wasm module is read from the package directory synchronously.
import { createRequire } from 'node:module';
import { makeApi } from './api.js';

const raw = createRequire(import.meta.url)('./pkg/node/sharestate_wasm.js');

export const {
  minerKey, decodeRegister, verifyLookups, replayPayout, checkPayout, checkCommand, payoutAmount, verifyProofAnswer, transactionId,
  headersRequest, inclusionRequest, headerIdAt, anchorTransaction, anchorVia,
  unspentRequest, unspentBoxes, unspentVia,
  ShareState, BalanceState, Walker, ProofService, handleProofRequest,
} = makeApi(raw);
