// Replaying payouts in the browser, network excluded (issue 12): the npm package's web build
// (www/index.js, and www/lite.js) loaded in headless Chromium, a 300-of-2,239-miner payout
// (proved once, in Node) replayed 1,000 times in the page — each replay the whole work: hex in,
// context variables parsed, the AVL+ proof replayed, every payment recomputed, the result out.
//   node benches/app/replay_in_browser.mjs   (after ./scripts/build-package.sh)
// Figures go to BENCHMARKS.md; nothing here asserts a time.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import ergo from 'ergo-lib-wasm-nodejs';
import { ShareState, minerKey } from '../../www/node.js';
import { launchBrowser } from '../../tests/e2e/harness.mjs';

const scores = Array.from({ length: 2239 }, (_, i) => ({
  address: ergo.SecretKey.random_dlog().get_address().to_base58(ergo.NetworkPrefix.Mainnet),
  score: String(1000 + ((i * 7919) % 50000)),
}));
const state = ShareState.fromScores(scores);
const keys = scores.map((s) => minerKey(s.address).key).sort();
const maxScore = scores.reduce((a, s) => a + Number(s.score), 0);
const p = state.provePayout(keys.slice(0, 300), '67500000000', maxScore);
const input = [p.digest, maxScore, '67500000000', p.contextVars['0'], p.contextVars['1']];

const www = new URL('../../www/', import.meta.url).pathname;
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer(async (req, res) => {
  const path = req.url === '/' ? null : normalize(join(www, decodeURIComponent(req.url.split('?')[0])));
  if (path === null) return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
  if (!path.startsWith(www)) return res.writeHead(403).end();
  const body = await readFile(path).catch(() => null);
  if (body === null) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${base}/?network=devnet`);
  for (const entry of ['/index.js', '/lite.js']) {
    const r = await page.evaluate(async ([entry, input]) => {
      const m = await import(entry);
      const once = () => m.replayPayout(...input);
      const paid = once().payments.length;
      for (let i = 0; i < 20; i++) once();
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) once();
      return { paid, ms: performance.now() - t0 };
    }, [entry, input]);
    console.log(`${entry}: 1,000 replays of a ${r.paid}-miner payout in ${(r.ms / 1000).toFixed(2)} s (${r.ms.toFixed(0) / 1000} ms each)`);
  }
} finally {
  await browser.close();
  server.close();
}
