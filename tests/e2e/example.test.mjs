// The npm package's pool-website example (www/examples/), served by the devnet from the built
// package (scripts/build-package.sh), in Chromium: the latest epoch's miners, each marked with
// what was verified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, freePort, launchBrowser, startDevnet, stopDevnet } from './harness.mjs';

test('the pool-website example verifies the latest epoch with the package alone', async () => {
  const port = await freePort();
  const devnet = await startDevnet(port, ['--www', 'www']);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/www/examples/index.html`);
    await page.waitForFunction(() => /payouts replayed/.test(document.querySelector('#status').innerText), null, { timeout: 30_000 });
    const status = await page.innerText('#status');
    assert.match(status, /Epoch 4 \(hardened contract\): 2 payouts replayed, 25 miners shown/);
    const marks = await page.$$eval('tbody td:last-child', (tds) => tds.map((td) => td.innerText));
    assert.equal(marks.length, 25);
    assert.ok(marks.every((m) => m.startsWith('✓')), marks.join('\n'));
    assert.ok(marks.some((m) => m.includes('lookup proof')));
    assert.deepEqual(errors, []);
    await page.screenshot({ path: `${SHOTS}/pool-website-example.png`, fullPage: true });

    // the lite entry's ESM build loads in the browser too, and agrees with the full one
    const [full, lite] = await page.evaluate(async () => {
      const run = async (m) => {
        const { minerKey, ShareState, verifyLookups } = await import(m);
        const { key, address } = minerKey('9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA');
        const state = ShareState.fromScores([{ address, score: 77n }]);
        const p = state.proveLookups([key]);
        return { key, digest: state.digest(), value: verifyLookups(p.digest, p.proof, [key])[0].value };
      };
      return [await run('/www/index.js'), await run('/www/lite.js')];
    });
    assert.deepEqual(lite, full);
    assert.equal(lite.value, '000000000000004d00');
  } finally {
    await browser.close();
    await stopDevnet(devnet);
  }
});
