// How long the app's Design 2 check of one miner of the devnet's balance pool takes when every
// request to the source costs `DELAY_MS` (default 50) more, as over a network: the walk's round
// trips, not the local devnet's speed. Prints the time and the requests asked.
//   DEVNET_BIN=target/release/devnet node benches/app/balance-latency.mjs   (after scripts/build-app.sh)
import { freePort, launchBrowser, startDevnet, stopDevnet } from '../../tests/e2e/harness.mjs';

const delay = Number(process.env.DELAY_MS ?? 50);
const port = await freePort();
const devnet = await startDevnet(port);
const base = `http://127.0.0.1:${port}`;
const browser = await launchBrowser();
try {
  const miners = (await (await fetch(`${base}/devnet/miners?pool=balance&limit=50`)).json()).items;
  const miner = miners.find((m) => m.owed !== null && m.events.length > 3);
  const page = await browser.newPage();
  let asked = 0;
  await page.route(/\/(blockchain|blocks|utxo|info|api|graphql|pool)\b/, async (route) => {
    asked += 1;
    await new Promise((r) => setTimeout(r, delay));
    await route.continue();
  });
  const t0 = Date.now();
  await page.goto(`${base}/?pool=${encodeURIComponent('Demo Balance Pool')}&address=${miner.address}&network=devnet`);
  await page.waitForSelector('section.balance .owed', { timeout: 600_000 });
  console.log(`balance check, ${delay} ms per request: ${Date.now() - t0} ms, ${asked} requests`);
} finally {
  await browser.close();
  await stopDevnet(devnet);
}
