// The app on a pool with a long history (issue 12): a devnet with `--epochs N` (default 300), one
// miner checked in headless Chromium through the node and through the explorer's GraphQL: the
// first check (time, requests, bytes fetched) and a repeat check with the browser's cache.
//   DEVNET_BIN=target/release/devnet node benches/app/long_history.mjs [epochs]
// (after ./scripts/build-app.sh and `cargo build --release -p sharestate-devnet`). Figures go to
// BENCHMARKS.md; nothing here asserts a time.
import { freePort, launchBrowser, startDevnet, stopDevnet } from '../../tests/e2e/harness.mjs';

const epochs = Number(process.argv[2] ?? 300);
const port = await freePort();
const t0 = Date.now();
const devnet = await startDevnet(port, ['--static', 'dist', '--epochs', String(epochs)]);
const base = `http://127.0.0.1:${port}`;
console.log(`devnet with ${epochs} epochs up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const browser = await launchBrowser();
try {
  const { items } = await (await fetch(`${base}/devnet/miners?limit=3000`)).json();
  // the miner in the most epochs
  const miner = items.reduce((a, b) => (b.epochs.filter((e) => e.score !== null).length > a.epochs.filter((e) => e.score !== null).length ? b : a));
  const inEpochs = miner.epochs.filter((e) => e.score !== null).length;
  for (const [kind, url] of [['node', base], ['graphql', `${base}/graphql`]]) {
    const page = await browser.newPage();
    let requests = 0;
    let bytes = 0;
    page.on('requestfinished', async (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/blockchain/') || p.startsWith('/blocks/') || p.startsWith('/utxo/') || p.startsWith('/pool/') || p === '/info' || p === '/graphql') {
        requests += 1;
        bytes += (await r.sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize;
      }
    });
    await page.goto(`${base}/?network=devnet`);
    await page.evaluate(([k, u]) => {
      localStorage.setItem('sharestate.source', k);
      localStorage.setItem('sharestate.node', u);
    }, [kind, url]);
    const done = () => page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n && !document.querySelector('.progress progress'), epochs, { timeout: 600_000, polling: 50 });
    let t = Date.now();
    await page.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(miner.address)}&network=devnet`);
    await done();
    const first = { ms: Date.now() - t, requests, bytes };
    const verified = await page.$$eval('td.mark', (tds) => tds.filter((td) => td.innerText.trim().startsWith('✓')).length);
    await page.waitForTimeout(500);
    requests = 0;
    bytes = 0;
    // timed in the page, from the click to the last row (the test driver's own work left out)
    const check = page.getByRole('button', { name: 'Check' });
    await check.waitFor();
    await page.evaluate((n) => {
      window.__timed = new Promise((resolve) => {
        document.addEventListener('click', () => {
          const t0 = performance.now();
          const finished = () => document.querySelectorAll('tbody tr').length === n && !document.querySelector('.progress progress');
          const seen = new MutationObserver(() => {
            if (finished()) {
              seen.disconnect();
              resolve(performance.now() - t0);
            }
          });
          // the click first clears the rows: the check is done when they are all back
          requestAnimationFrame(() => seen.observe(document.body, { childList: true, subtree: true, attributes: true }));
        }, { capture: true, once: true });
      });
    }, epochs);
    t = Date.now();
    await check.click();
    await done();
    const wall = Date.now() - t;
    const repeat = { ms: await page.evaluate(() => window.__timed), requests, bytes };
    console.log(`${kind}: miner in ${inEpochs} of ${epochs} epochs, ${verified} rows ✓; first check ${(first.ms / 1000).toFixed(2)} s, ${first.requests} requests, ${(first.bytes / 1024).toFixed(0)} KiB; repeat (cache) ${(repeat.ms / 1000).toFixed(2)} s in the page (${(wall / 1000).toFixed(2)} s with the test driver's polling), ${repeat.requests} requests, ${(repeat.bytes / 1024).toFixed(0)} KiB`);
    await page.close();
  }
} finally {
  await browser.close();
  await stopDevnet(devnet);
}
