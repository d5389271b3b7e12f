// The verify-and-prove subset (`sharestate/lite`) for browsers and bundlers: a smaller wasm
// module, fetched beside this file and instantiated once.
import init, * as raw from './pkg/lite-web/sharestate_lite.js';
import { makeLiteApi } from './api.js';

await init({ module_or_path: new URL('./pkg/lite-web/sharestate_lite_bg.wasm', import.meta.url) });

export const { minerKey, decodeRegister, verifyLookups, replayPayout, payoutAmount, ShareState } = makeLiteApi(raw);
