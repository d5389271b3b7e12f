// The miner's app on a Design 2 pool, end to end in Chromium: "Demo Balance Pool" of the
// devnet, checked by the app's second module (loaded only then). Every figure is compared with
// the devnet's ground truth (/devnet/miners?pool=balance).
//   node --test tests/e2e/   (after scripts/build-app.sh and building the devnet)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SHOTS, erg, freePort, launchBrowser, startDevnet, stopDevnet, thousands } from './harness.mjs';

const POOL = 'Demo Balance Pool';
let browser, port, devnet, base, miners, pool;

before(async () => {
  port = await freePort();
  devnet = await startDevnet(port);
  base = `http://127.0.0.1:${port}`;
  miners = (await (await fetch(`${base}/devnet/miners?pool=balance&limit=2000`)).json()).items;
  pool = (await (await fetch(`${base}/devnet/pools.json`)).json()).pools.find((p) => p.name === POOL);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopDevnet(devnet);
});

/** The app checking `address` in the balance pool, and every request it made. */
async function open(address, { at = base } = {}) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const errors = [];
  const requested = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`${at}/?pool=${encodeURIComponent(POOL)}&address=${encodeURIComponent(address)}&network=devnet`);
  return { page, errors, requested };
}

/** The history table's cells, once the check is done. */
async function history(page, timeout = 90_000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('section.balance');
    return s && !s.querySelector('.progress') && (s.querySelector('.owed') || s.querySelector('.alert'));
  }, null, { timeout });
  return page.$$eval('table.balance-history tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.innerText.trim())));
}

function sameAsTruth(table, miner) {
  assert.equal(table.length, miner.events.length, miner.address);
  for (const [i, e] of miner.events.entries()) {
    const [round, command, height, amount, after, tx, verified] = table[i];
    assert.equal(round, String(e.round), `${miner.address} row ${i}`);
    assert.equal(command, e.command);
    assert.equal(height, thousands(e.height));
    if (e.command === 'update' || e.command === 'payout') assert.equal(amount, erg(e.amount));
    else assert.equal(amount, '–');
    if (e.command === 'delete') assert.equal(after, '–');
    else assert.equal(after, erg(e.balance));
    assert.ok(e.transaction.startsWith(tx.replace('…', '')), `${tx} vs ${e.transaction}`);
    // a ✓ rests on the replayed command and its transaction in a block whose work was checked
    assert.match(verified, /^✓\s*verified: /, verified);
    assert.match(verified, new RegExp(`${e.command} command's proof replayed against the state box's digest, every clause of the (deployed|hardened) command contract and of the (deployed|hardened) state box evaluated`), verified);
    assert.ok(verified.includes(`transaction in block ${thousands(e.height)} (proof of work checked, devnet)`), verified);
    // rounds 1–12 on the deployed set, 14 on the hardened; round 13's first command (the
    // deployed set's last) moved the state to the hardened set
    if (e.round !== 13) assert.match(verified, e.round < 13 ? /the deployed command contract and of the deployed state box/ : /the hardened command contract and of the hardened state box/, verified);
  }
}

test('a miner owed a balance sees it verified, every command that touched them, and each figure equal to the ground truth', async () => {
  // owed now, touched under both contract sets, credited and paid
  const miner = miners.find((m) => m.owed !== null && m.owed !== '0'
    && m.events.some((e) => e.round <= 12 && e.command === 'payout') && m.events.some((e) => e.round > 12 && e.command === 'update'));
  assert.ok(miner, 'a miner owed, paid under the deployed set and credited under the hardened one');
  const t0 = Date.now();
  const { page, errors, requested } = await open(miner.address);
  const table = await history(page);
  const asked = requested.filter((u) => /^\/(blockchain|blocks|utxo|info|api|graphql|pool)\b/.test(new URL(u).pathname)).length;
  console.log(`# balance pool: 147 commands walked and replayed, ${table.length} rows tied to blocks, the tip proven unspent: ${Date.now() - t0} ms, ${asked} requests to the source`);
  sameAsTruth(table, miner);
  // owed now: the amount, ✓, and what it rests on
  assert.equal(await page.innerText('.owed-amount'), `${erg(miner.owed)} ERG`);
  const owed = await page.innerText('.owed');
  assert.match(owed, /^✓/, owed);
  assert.match(owed, /the pool's state box [0-9a-f]{12}… proven unspent by the node's proof of the chain's state at block [\d,]+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\), its header's proof of work checked; the transaction that made it in a block with its confirmations checked/, owed);
  // the pool's story: its contracts now, and its move from the deployed set
  const warnings = await page.innerText('section.balance');
  assert.match(warnings, new RegExp(`Pool NFT ${pool.nft} \\(the list of pools names the pool by it\\): 147 commands replayed over 30 rounds; the pool.s state box now runs the hardened contracts`));
  assert.match(warnings, /Rounds 1–13 ran the deployed contracts: no command used one of their weaknesses\./);
  assert.ok(!/these may be another pool/.test(warnings));
  assert.match(warnings, /Round 13, transaction [0-9a-f]{12}…: the pool moved from the deployed contracts to the hardened set\./);
  assert.ok(!/runs the deployed contracts, whose weaknesses/.test(warnings));
  // totals over the rows with a ✓
  const credited = miner.events.filter((e) => e.command === 'update').reduce((a, e) => a + BigInt(e.amount), 0n);
  const paid = miner.events.filter((e) => e.command === 'payout').reduce((a, e) => a + BigInt(e.amount), 0n);
  assert.equal(await page.innerText('table.balance-history tfoot td'), `${erg(credited)} ERG credited, ${erg(paid)} ERG paid`);
  // the minimum: the pool's stated one first; the miner's own, typed, says reached or not
  assert.equal(await page.inputValue('#minimum'), erg(pool.minimumPayout));
  await page.fill('#minimum', erg(miner.minimum));
  const reached = BigInt(miner.owed) >= BigInt(miner.minimum);
  const said = await page.innerText('.reached');
  if (reached) assert.match(said, /^Reached/, said);
  else assert.ok(said.startsWith(`Not reached: ${erg(BigInt(miner.minimum) - BigInt(miner.owed))} ERG to go`), said);
  await page.fill('#minimum', '1.0000000001');
  assert.match(await page.innerText('.reached'), /at most 9 decimals/);
  // the chart: one point per command
  const points = await page.getAttribute('polyline.balance-line', 'points');
  assert.equal(points.trim().split(/\s+/).length, miner.events.length);
  // CSV: a line per command, amounts exact
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'address,round,command,height,amount_erg,balance_erg,transaction,verified');
  assert.equal(csv.length, miner.events.length + 1);
  for (const [i, e] of miner.events.entries()) {
    assert.ok(csv[i + 1].startsWith(`${miner.address},${e.round},${e.command},${e.height},`), csv[i + 1]);
    assert.ok(csv[i + 1].includes(`,${e.transaction},"yes: `), csv[i + 1]);
  }
  // Design 2 came from the second module, fetched for it
  assert.ok(requested.some((u) => /\/balance_bg\.wasm$/.test(u)), 'the second module loaded');
  await page.screenshot({ path: `${SHOTS}/balance-verified.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a miner paid and removed from the tree sees nothing owed, verified, and the deletion', async () => {
  const miner = miners.find((m) => m.owed === null && m.events.at(-1)?.command === 'delete' && m.events.some((e) => e.command === 'payout'));
  const { page, errors } = await open(miner.address);
  const table = await history(page);
  sameAsTruth(table, miner);
  assert.equal(await page.innerText('.owed-amount'), 'nothing');
  const owed = await page.innerText('.owed');
  assert.match(owed, /^✓/, owed);
  assert.match(owed, /you were removed from the tree: the last command that touched you \(delete in round \d+/, owed);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an address the pool never had: nothing owed, no rows; a Design 1 check does not load the second module', async () => {
  const outsider = (await (await fetch(`${base}/devnet/miners?limit=1`)).json()).items[0].address;
  assert.ok(!miners.some((m) => m.address === outsider));
  const { page, errors } = await open(outsider);
  assert.deepEqual(await history(page), []);
  assert.equal(await page.innerText('.owed-amount'), 'nothing');
  const owed = await page.innerText('.owed');
  // verified: the walk from the pool's first state (its NFT minted there, its tree empty), every
  // command sound, the state box proven unspent, the transaction that made it in a block
  assert.match(owed, /^✓/, owed);
  assert.match(owed, /no command of the pool touched your address since box [0-9a-f]{12}…, where the walk starts, every command replayed and sound; the pool's state box [0-9a-f]{12}… proven unspent/, owed);
  assert.ok(!(await page.innerText('section.balance')).includes('not shown to be the pool\'s first state box'));
  assert.deepEqual(errors, []);
  await page.close();
  // the same address on the Design 1 pool: no request for Design 2's module
  const d1 = await browser.newPage();
  const requested = [];
  d1.on('request', (r) => requested.push(r.url()));
  await d1.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(outsider)}&network=devnet`);
  await d1.waitForFunction(() => document.querySelectorAll('tbody tr').length === 4 && !document.querySelector('.progress progress'), null, { timeout: 60_000 });
  assert.ok(!requested.some((u) => /balance(_bg\.wasm|\.js)$/.test(u)), requested.join('\n'));
  assert.deepEqual(errors, []);
  await d1.close();
});

test('switching pools: a balance check then an epoch check on the same page, each shown alone', async () => {
  const miner = miners.find((m) => m.owed !== null);
  const { page } = await open(miner.address);
  await history(page);
  await page.selectOption('#pool', 'Demo Pool');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForFunction(() => !document.querySelector('section.balance') && document.querySelectorAll('tbody tr').length === 4, null, { timeout: 60_000 });
  await page.selectOption('#pool', POOL);
  await page.getByRole('button', { name: 'Check' }).click();
  await page.waitForFunction(() => document.querySelector('section.balance .owed') && document.querySelectorAll('table:not(.balance-history)').length === 0, null, { timeout: 90_000 });
  assert.equal(await page.innerText('.owed-amount'), `${erg(miner.owed)} ERG`);
  await page.close();
});

test('a source that hides the pool\'s last command (its state box shown unspent): the node\'s proof of its state shows the box spent, so the balance is not verified', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'hidden-spend']);
  try {
    // a miner the hidden command touched: the pool's last
    const last = Math.max(...miners.flatMap((m) => m.events.map((e) => e.height)));
    const miner = miners.find((m) => m.events.at(-1)?.height === last && m.events.length > 1);
    assert.ok(miner, 'a miner of the last command');
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await history(page);
    // the lie shows what they were owed before it, and the rows it keeps replay
    assert.equal(table.length, miner.events.length - 1);
    const owed = await page.innerText('.owed');
    assert.match(owed, /^✗/, owed);
    assert.match(owed, /the node's proof of the chain's state at block [\d,]+ shows the pool's state box [0-9a-f]{12}… spent, though the source showed it unspent: the source hides commands/, owed);
    await page.screenshot({ path: `${SHOTS}/balance-lie-hidden-command.png`, fullPage: true });
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a source serving headers nobody mined: no command row and no balance verified', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'pow']);
  try {
    const miner = miners.find((m) => m.owed !== null && m.owed !== '0');
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await history(page);
    assert.equal(table.length, miner.events.length);
    for (const r of table) {
      assert.ok(r[6].startsWith('✗'), r[6]);
      assert.match(r[6], /not in a block of the chain: header [0-9a-f]{64} at height \d+: its proof of work does not meet its difficulty/, r[6]);
    }
    const owed = await page.innerText('.owed');
    assert.match(owed, /^[?✗]/, owed);
    assert.ok(!owed.includes('verified'), owed);
    assert.match(await page.innerText('table.balance-history tfoot td'), /^0\.000000000 ERG credited, 0\.000000000 ERG paid$/);
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a list of pools that starts the walk at a later state box: the commands before it are missing, so "nothing owed" is not verified and the page says why', async () => {
  // a miner whose every command came before the pool's last round, walked from a box after them
  const miner = miners.find((m) => m.owed === null && m.events.length > 0 && m.events.at(-1).round < 20);
  const later = miners.flatMap((m) => m.events).find((e) => e.round === 25);
  const tx = await (await fetch(`${base}/blockchain/transaction/byId/${later.transaction}`)).json();
  const laterBox = tx.outputs[0].boxId;
  const page = await browser.newPage();
  await page.route('**/pools.json', async (route) => {
    const list = await (await route.fetch()).json();
    for (const p of list.pools) if (p.name === POOL) p.startBox = laterBox;
    await route.fulfill({ json: list });
  });
  await page.goto(`${base}/?pool=${encodeURIComponent(POOL)}&address=${encodeURIComponent(miner.address)}&network=devnet`);
  assert.deepEqual(await history(page), []);
  const owed = await page.innerText('.owed');
  assert.match(owed, /^\?/, owed);
  assert.ok(owed.includes(`no command of the pool touched your address since box ${laterBox.slice(0, 12)}…, where the walk starts`), owed);
  assert.match(owed, /but that box is the pool's first state box is the list of pools' word \(its tree is not empty\)/, owed);
  assert.match(await page.innerText('ul.warnings'), /The walk starts at box [0-9a-f]{12}…, which is not shown to be the pool's first state box \(its tree is not empty\)/);
  assert.match(await page.innerText('caption'), /since box [0-9a-f]{12}, where the walk starts/);
  await page.close();
});

test('through the explorer\'s GraphQL the balance pool gives the same figures, every command tied to its block; the balance rests on its word, which proves no state, and says so', async () => {
  const miner = miners.find((m) => m.owed !== null && m.owed !== '0' && m.events.length > 3);
  const page = await browser.newPage();
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${base}/?network=devnet`);
  await page.waitForFunction(() => document.querySelectorAll('#pool option').length > 1);
  await page.getByText('Settings', { exact: true }).click();
  await page.getByLabel('Kind of source').selectOption('graphql');
  await page.getByLabel('Source URL').fill(`${base}/graphql`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => /Settings saved: explorer GraphQL/.test(document.querySelector('.notice')?.innerText ?? ''));
  await page.selectOption('#pool', POOL);
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  sameAsTruth(await history(page), miner);
  assert.equal(await page.innerText('.owed-amount'), `${erg(miner.owed)} ERG`);
  const owed = await page.innerText('.owed');
  assert.match(owed, /^\?/, owed);
  assert.match(owed, /but that box [0-9a-f]{12}… is the pool's current state is the source's word: it gave no proof of the chain's state/, owed);
  // every chain answer came from GraphQL, many ids per request
  assert.ok(asked.filter((p) => p === '/graphql').length > 3, 'GraphQL was asked');
  assert.deepEqual(asked.filter((p) => p.startsWith('/blockchain/') || p === '/info'), []);
  await page.evaluate(() => localStorage.clear());
  await page.close();
});
