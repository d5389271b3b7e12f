// "Pay out now" end to end: a miner's EIP-12 wallet (a connector injected into the page whose
// sign_tx signs with the miner's devnet key through ergo-lib-wasm-nodejs, in this process)
// pays the fee of the next payout of the last epoch; the devnet validates and applies it, and
// the app then shows the miner's batch paid, verified from the chain. The same through the node
// when the wallet cannot submit; and the declined path, and a wallet that signs something else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import ergo from 'ergo-lib-wasm-nodejs';
import { DEVNET, SHOTS, freePort, launchBrowser, startDevnet, stopDevnet } from './harness.mjs';

let devnet, base, browser, miners, secrets;

before(async () => {
  const port = await freePort();
  devnet = await startDevnet(port);
  base = `http://127.0.0.1:${port}`;
  miners = (await (await fetch(`${base}/devnet/miners?limit=300`)).json()).items;
  secrets = JSON.parse(execFileSync(DEVNET, ['--keys', '300']).toString()).miners;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopDevnet(devnet);
});

/** A miner still unpaid in the last epoch whose earlier payouts can pay the fee: the one of
 *  lowest key, or with `last` of highest key (so in another batch). */
function payer(last = false) {
  const ok = miners
    .map((m, i) => ({ m, i, funds: m.epochs.slice(0, 3).reduce((a, e) => a + BigInt(e.paid ?? 0), 0n) }))
    .filter(({ m, funds }) => m.epochs[3].score !== null && !m.epochs[3].paid && funds > 3_000_000n)
    .sort((a, b) => (a.m.key < b.m.key ? -1 : 1));
  return last ? ok.at(-1) : ok[0];
}

/** A page with an EIP-12 wallet holding `secret`. `mode`: 'decline' (sign_tx refuses),
 *  'other' (it signs a changed transaction), 'no-submit' (submit_tx fails to send). */
async function walletPage(miner, secret, mode = 'ok') {
  const page = await browser.newPage();
  page.walletSubmits = 0; // submit_tx calls that reached the wallet's node
  await page.exposeFunction('walletUtxos', async () => {
    const r = await fetch(`${base}/blockchain/box/byAddress`, { method: 'POST', body: miner.address });
    return (await r.json()).items.filter((b) => !b.spentTransactionId);
  });
  await page.exposeFunction('walletSign', async (tx) => {
    const key = ergo.SecretKey.dlog_from_bytes(Uint8Array.from(Buffer.from(secret, 'hex')));
    const keys = new ergo.SecretKeys();
    keys.add(key);
    if (mode === 'other') {
      // 1000 nanoErg moved from the change to the fee: another transaction, validly signed
      const [fee, change] = tx.outputs.slice(-2);
      fee.value = String(BigInt(fee.value) + 1000n);
      change.value = String(BigInt(change.value) - 1000n);
    }
    const unsigned = ergo.UnsignedTransaction.from_json(JSON.stringify(tx));
    const boxes = ergo.ErgoBoxes.empty();
    for (const i of tx.inputs) boxes.add(ergo.ErgoBox.from_json(JSON.stringify(i)));
    const headers = (await (await fetch(`${base}/blocks/lastHeaders/10`)).json()).reverse();
    const blockHeaders = ergo.BlockHeaders.from_json(headers.map((h) => JSON.stringify(h)));
    const ctx = new ergo.ErgoStateContext(ergo.PreHeader.from_block_header(blockHeaders.get(0)), blockHeaders, ergo.Parameters.default_parameters());
    return JSON.parse(ergo.Wallet.from_secrets(keys).sign_transaction(ctx, unsigned, boxes, ergo.ErgoBoxes.empty()).to_json());
  });
  await page.exposeFunction('walletSubmit', async (signed) => {
    page.walletSubmits += 1;
    const r = await fetch(`${base}/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signed) });
    const body = await r.json();
    if (r.status !== 200) throw new Error(body.detail);
    return body;
  });
  await page.addInitScript(([address, mode]) => {
    window.ergoConnector = { nautilus: { connect: async () => true } };
    window.ergo = {
      get_used_addresses: async () => [address],
      get_change_address: async () => address,
      get_utxos: async () => window.walletUtxos(),
      sign_tx: async (tx) => {
        if (mode === 'decline') throw { code: 2, info: 'User rejected' };
        return window.walletSign(tx);
      },
      submit_tx: async (tx) => {
        if (mode === 'no-submit') throw { code: 2, info: 'no connection to the wallet\'s node' };
        return window.walletSubmit(tx);
      },
    };
  }, [miner.address, mode]);
  return page;
}

async function lastRow(page) {
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 4 && !document.querySelector('.progress progress'), null, { timeout: 60_000 });
  return page.$$eval('tbody tr:last-child > *', (tds) => tds.map((td) => td.innerText.trim()));
}

/** A payout the wallet does not complete (`mode`): the app says `message`, nothing is submitted
 *  and the miner's last epoch stays unpaid. */
async function payoutRefused(mode, message) {
  const { m, i } = payer();
  const page = await walletPage(m, secrets[i], mode);
  let submitted = false;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/transactions')) submitted = true; });
  await page.goto(`${base}/?network=devnet`);
  await page.waitForFunction(() => document.querySelectorAll('#pool option').length > 0);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await lastRow(page);
  await page.getByRole('button', { name: 'Pay out now' }).click();
  await page.getByRole('dialog').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Sign with wallet and submit' }).click();
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.pay-status')?.innerText ?? ''), message.source, { timeout: 30_000 });
  assert.equal(submitted, false);
  assert.equal(page.walletSubmits, 0);
  assert.match((await lastRow(page))[4], /not yet/);
  await page.close();
}

test('a declined signature: a plain message, nothing submitted', () => payoutRefused('decline', /declined to sign/));

test('a wallet that signs another transaction than the one checked: refused, nothing submitted', () =>
  payoutRefused('other', /signed another transaction .* than the one checked .*: not submitted/));

/** Pays out `m`'s batch from the app and waits until the app shows it paid, verified. */
async function payOut({ m, i }, mode, screenshot) {
  const page = await walletPage(m, secrets[i], mode);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/transactions')) posts.push(r.url()); });
  await page.goto(`${base}/?network=devnet`);
  await page.waitForFunction(() => document.querySelectorAll('#pool option').length > 0);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  let row = await lastRow(page);
  assert.match(row[4], /not yet/);
  await page.getByRole('button', { name: 'Pay out now' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout: 30_000 });
  const summary = await dialog.innerText();
  assert.match(summary, /you among them/);
  assert.match(summary, /clauses of the share-state contract were checked in your browser, and hold/);
  if (screenshot) await page.screenshot({ path: `${SHOTS}/pay-out-now.png`, fullPage: true });
  await page.getByRole('button', { name: 'Sign with wallet and submit' }).click();
  await page.waitForFunction(() => /Submitted: transaction/.test(document.querySelector('.pay-status')?.innerText ?? ''), null, { timeout: 30_000 });
  const submitted = (await page.innerText('.pay-status')).match(/transaction ([0-9a-f]{64})/)[1];
  // the app checks again: the last epoch now paid by that transaction, replayed from the chain
  await page.waitForFunction((id) => {
    const cells = [...document.querySelectorAll('tbody tr:last-child > *')].map((td) => td.innerText);
    return cells.length && /^paid/.test(cells[4]) && cells[5].length && id.startsWith(cells[5].replace('…', ''));
  }, submitted, { timeout: 60_000 });
  row = await lastRow(page);
  assert.ok(row[6].startsWith('✓'), row[6]);
  assert.match(row[6], /proof of payout .* replayed against the digest of box/);
  const expected = BigInt(m.epochs[3].expected);
  assert.equal(row[4].replace(/\s+/g, ' '), `paid ${expected / 10n ** 9n}.${(expected % 10n ** 9n).toString().padStart(9, '0')} ERG`);
  await page.close();
  return { posts, walletSubmits: page.walletSubmits };
}

test('a miner pays out their batch with their wallet, and then sees it paid, verified', async () => {
  const { posts, walletSubmits } = await payOut(payer(), 'ok', true);
  assert.deepEqual(posts, [], 'submitted by the wallet, not the app');
  assert.equal(walletSubmits, 1);
});

test('a wallet that cannot submit: the app submits the signed transaction to the node', async () => {
  const { posts, walletSubmits } = await payOut(payer(true), 'no-submit', false);
  assert.deepEqual(posts, [`${base}/transactions`]);
  assert.equal(walletSubmits, 0);
});
