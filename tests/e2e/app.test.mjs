// The miner's app end to end: playwright-core drives Debian's Chromium against devnets on free
// loopback ports, serving the built app (dist/). Every verified figure is compared with the
// devnet's ground truth (/devnet/miners). Screenshots of the main states go to target/screenshots/.
//   node --test tests/e2e/   (after scripts/build-app.sh and building the devnet)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOTS, erg, freePort, launchBrowser, startDevnet, stopDevnet, thousands } from './harness.mjs';

let browser, port, devnet, base, miners;

before(async () => {
  port = await freePort();
  devnet = await startDevnet(port);
  base = `http://127.0.0.1:${port}`;
  miners = (await (await fetch(`${base}/devnet/miners?limit=400`)).json()).items;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopDevnet(devnet);
});

async function open(address, { viewport = { width: 1200, height: 900 }, at = base } = {}) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const url = `${at}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(address)}&network=devnet`;
  const t0 = Date.now();
  await page.goto(url);
  return { page, errors, t0 };
}

/** The app with no query, once its pool list has loaded. */
async function openBlank(at = base) {
  const page = await browser.newPage();
  await page.goto(`${at}/?network=devnet`);
  await page.waitForFunction(() => document.querySelectorAll('#pool option').length > 0);
  return page;
}

async function rows(page, count = 4, timeout = 60_000) {
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n && !document.querySelector('.progress progress'), count, { timeout });
  // each cell's text, without its buttons ("Pay out now")
  return page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => {
    const c = td.cloneNode(true);
    c.querySelectorAll('button').forEach((b) => b.remove());
    document.body.append(c);
    const text = c.innerText.trim();
    c.remove();
    return text;
  })));
}

function checkAgainstTruth(table, miner) {
  for (const [i, truth] of miner.epochs.entries()) {
    const [epoch, score, , expected, paid, tx, verified] = table[i];
    assert.ok(epoch.startsWith(String(truth.number)));
    // a plain ✓: the figures verified and the epoch's parameters audited
    assert.match(verified, /^✓[^?]/, `epoch ${truth.number} not verified: ${verified}`);
    // every ✓ rests on a transaction in a block whose proof of work the browser checked
    assert.match(verified, /transaction in block [\d,]+ \(proof of work checked, devnet\), \d+ confirmations? checked/, verified);
    if (truth.score === null) {
      // proven absent from the first state: the epoch is neither walked nor audited
      assert.equal(paid, 'not in this epoch');
      assert.equal(score, '–');
      assert.match(verified, /proven absent from the epoch's first state, so from all of it/);
      continue;
    }
    assert.match(verified, /epoch audited/);
    if (truth.closed) assert.match(verified, /The epoch closed by the operator at height \d+/);
    // an open hardened epoch says from when the operator may close it
    if (truth.deadline && !truth.closed) assert.ok(verified.includes(`The operator may close the epoch from height ${truth.deadline}: payouts until then.`), verified);
    if (!truth.deadline) assert.ok(!verified.includes('may close the epoch'), verified);
    assert.equal(score, String(truth.score));
    assert.equal(expected, erg(truth.expected));
    if (truth.paid) {
      assert.equal(paid.replace(/\s+/g, ' '), `paid ${erg(truth.paid)} ERG`);
      assert.ok(truth.transaction.startsWith(tx.replace('…', '')), `${tx} vs ${truth.transaction}`);
      assert.match(verified, /proof of payout .* replayed against the digest of box .* at height \d+/);
      assert.ok(verified.includes(`transaction in block ${thousands(truth.paidHeight)} (proof of work checked, devnet)`), verified);
    } else {
      assert.match(verified, /pool's lookup proof checked against the digest of box .* at height \d+/);
      if (truth.closed) {
        assert.equal(paid, 'never: the epoch ended');
      } else if (verified.includes('unspent in the state of block')) {
        // "not yet" proven: the box in the state of the node's last block
        assert.equal(paid, 'not yet');
        assert.match(verified, /unspent in the state of block [\d,]+ \(its state root; proof of work checked\), mined \d{4}-\d\d-\d\d \d\d:\d\d UTC, so not yet paid/, verified);
      } else {
        // or said to rest on the source's word (and the second source's, if it agreed)
        assert.match(paid, /^not yet \((the source's word|both sources' word)\)$/);
      }
    }
  }
}

test('a miner paid in earlier epochs sees every figure verified and equal to the ground truth', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const { page, errors, t0 } = await open(miner.address);
  await page.waitForSelector('td.mark .ok', { timeout: 30_000 });
  const firstVerified = Date.now() - t0;
  const table = await rows(page);
  const allVerified = Date.now() - t0;
  checkAgainstTruth(table, miner);
  // the draft epoch is flagged
  assert.match(await page.innerText('ul.warnings'), /Epoch 1: this epoch runs the seed's draft contract/);
  await page.screenshot({ path: `${SHOTS}/miner-verified.png`, fullPage: true });
  writeFileSync('target/e2e-timings.json', JSON.stringify({ firstVerifiedMs: firstVerified, allRowsMs: allVerified }));
  console.log(`# time to first verified figure: ${firstVerified} ms; all four epochs: ${allVerified} ms`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the same miner checked through the explorer\'s GraphQL service shows the same verified figures', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const page = await browser.newPage();
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${base}/?network=devnet`);
  await page.getByText('Settings').click();
  await page.getByLabel('Kind of source').selectOption('graphql');
  await page.getByLabel('Source URL').fill(`${base}/graphql`);
  await page.getByRole('button', { name: 'Save' }).click();
  // what the source says of itself is shown
  await page.waitForFunction(() => /Settings saved: explorer GraphQL .*\/graphql — ergo-graphql sharestate-devnet-[\d.]+, indexed: yes, context extensions: yes/.test(document.querySelector('.notice')?.innerText ?? ''));
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  const table = await rows(page);
  checkAgainstTruth(table, miner);
  // every chain answer came from GraphQL; the proof service is the pool's, on the same host
  assert.ok(asked.filter((p) => p === '/graphql').length > 3, 'GraphQL was asked');
  assert.deepEqual(asked.filter((p) => p.startsWith('/blockchain/') || p === '/info'), []);
  // and the setting stays for the next visit
  await page.reload();
  await page.getByText('Settings').click();
  assert.equal(await page.getByLabel('Kind of source').inputValue(), 'graphql');
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('a GraphQL service that refuses lists of ids is asked one id at a time, with the same figures', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const page = await browser.newPage();
  let refused = 0;
  let single = 0;
  // an older ergo-graphql, or one with a lower limit: a list of ids is an error
  await page.route('**/graphql', (route) => {
    const body = route.request().postData() ?? '';
    if (body.includes('boxIds') || body.includes('transactionIds')) {
      refused += 1;
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: 'Unknown argument "boxIds" on field "boxes"' }] }) });
    }
    if (/"query":"query (Box|Transaction)\(/.test(body)) single += 1;
    return route.continue();
  });
  await page.goto(`${base}/?network=devnet`);
  await page.evaluate((u) => {
    localStorage.setItem('sharestate.source', 'graphql');
    localStorage.setItem('sharestate.node', u);
  }, `${base}/graphql`);
  await page.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(miner.address)}&network=devnet`);
  checkAgainstTruth(await rows(page), miner);
  assert.ok(refused >= 1, 'a list was asked for');
  assert.ok(single > 4, `${single} single queries`);
  // once refused, lists are not asked again in this check
  assert.equal(refused, 1);
  await page.close();
});

test('through the explorer API, with transactions from a second source, the figures are the same; alone, no payout is replayed and the app says why', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const page = await browser.newPage();
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${base}/?network=devnet`);
  await page.getByText('Settings').click();
  await page.getByLabel('Chain data from').selectOption({ label: "Devnet: this page's explorer API, transactions from its GraphQL" });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => /Settings saved: explorer API .* transactions from explorer GraphQL \/graphql — explorer API \(version not given\), indexed: yes, context extensions: no; transactions from ergo-graphql sharestate-devnet/.test(document.querySelector('.notice')?.innerText ?? ''));
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  checkAgainstTruth(await rows(page), miner);
  assert.ok(asked.some((p) => p.startsWith('/api/v1/boxes/')), 'boxes from the explorer API');
  assert.ok(asked.includes('/graphql'), 'transactions from GraphQL');
  assert.deepEqual(asked.filter((p) => p.startsWith('/api/v1/transactions/') || p.startsWith('/blockchain/')), []);
  // headers and blocks from the explorer API itself (not from the second source): every row
  // tied to a mined block
  assert.ok(asked.some((p) => p === '/api/v1/blocks/headers'), 'headers from the explorer API');
  assert.ok(asked.some((p) => /^\/api\/v1\/blocks\/[0-9a-f]{64}$/.test(p)), 'blocks from the explorer API');
  for (const r of await rows(page)) {
    if (r[6].startsWith('✓')) assert.match(r[6], /in block [\d,]+ \(proof of work checked, devnet\)/, r[6]);
  }
  // the explorer API alone: what it finds is found, but no payout replays, and the rows say why
  await page.getByLabel('URL of the second source').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => /Payouts cannot be replayed from it alone/.test(document.querySelector('.notice')?.innerText ?? ''));
  await page.getByRole('button', { name: 'Check' }).click();
  const alone = await rows(page);
  // (the epochs in which the miner was paid: their payouts cannot be replayed)
  for (const r of alone.slice(0, 2)) {
    assert.ok(r[6].startsWith('✗'), r[6]);
    assert.match(r[6], /the explorer API gives none/);
  }
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('GraphQL services tried in order: one that is down hands over to the next, with the same figures', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[3].score !== null);
  const down = `http://127.0.0.1:${await freePort()}/`;
  const page = await browser.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
  await page.goto(`${base}/?network=devnet`);
  await page.getByText('Settings').click();
  await page.getByLabel('Kind of source').selectOption('graphql');
  await page.getByLabel('Source URL').fill(`${down} ${base}/graphql`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => /ergo-graphql sharestate-devnet/.test(document.querySelector('.notice')?.innerText ?? ''));
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  checkAgainstTruth(await rows(page), miner);
  assert.ok(hosts.has(new URL(down).host), 'the first service was tried');
  await page.evaluate(() => localStorage.clear());
  await page.close();
});

test('a pool whose proof service is static files (sharestate publish) is checked as through the live service', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sharestate-files-'));
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--proof-files', dir]);
  try {
    const at = `http://127.0.0.1:${p}`;
    // the pool publishes every share state it committed to with the command line, into the
    // directory the devnet serves as plain files
    const { states } = await (await fetch(`${at}/pool/epochs`)).json();
    for (const { boxId } of states) {
      const snap = join(dir, `${boxId}.json`);
      writeFileSync(snap, await (await fetch(`${at}/pool/snapshot/${boxId}`)).text());
      const out = JSON.parse(execFileSync(process.env.SHARESTATE_BIN ?? 'target/debug/sharestate', ['publish', snap, '--box', boxId, '--out', dir]));
      assert.equal(out.box, boxId);
      rmSync(snap);
    }
    const pools = await (await fetch(`${at}/devnet/pools.json`)).json();
    assert.equal(pools.pools[0].proofService, '/files');
    const paid = miners.find((m) => m.epochs[0].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
    const outsider = '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA';
    for (const address of [paid.address, outsider]) {
      const page = await browser.newPage();
      const asked = [];
      page.on('request', (r) => asked.push(new URL(r.url()).pathname));
      await page.goto(`${at}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(address)}&network=devnet`);
      const table = await rows(page);
      if (address === paid.address) {
        checkAgainstTruth(table, paid);
      } else {
        for (const r of table) {
          assert.equal(r[4], 'not in this epoch');
          // no file for a miner not in the state: the snapshot proves the absence, and says so
          assert.match(r[6], /^✓[^?].*pool's snapshot checked against the digest of box/, r[6]);
        }
      }
      assert.ok(asked.some((path) => path.startsWith('/files/')), 'the static files were read');
      assert.deepEqual(asked.filter((path) => path.startsWith('/pool/')), []);
      await page.close();
    }
  } finally {
    await stopDevnet(d);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second check takes what cannot change from the browser\'s cache and asks only about unspent boxes; clearing the cache asks for everything again', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const page = await browser.newPage();
  let asked = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/blockchain/') || u.pathname.startsWith('/pool/') || u.pathname === '/info') asked.push(u.pathname);
  });
  const check = async () => {
    asked = [];
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForFunction(() => document.querySelector('.progress progress'), null, { timeout: 5_000 }).catch(() => {});
    const table = await rows(page);
    checkAgainstTruth(table, miner);
    return [...asked];
  };
  await page.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(miner.address)}&network=devnet`);
  checkAgainstTruth(await rows(page), miner);
  await page.waitForTimeout(300);
  const first = [...asked];
  const second = await check();
  assert.ok(second.length < first.length / 3, `${second.length} requests again, ${first.length} the first time`);
  // the second check asked for the height and for boxes still unspent (what could have changed)
  for (const path of second) {
    if (path === '/info') continue;
    const m = path.match(/^\/blockchain\/box\/byId\/([0-9a-f]{64})$/);
    assert.ok(m, `asked again: ${path}`);
    const box = await (await fetch(`${base}${path}`)).json();
    assert.equal(box.spentTransactionId ?? null, null, `${path} is spent, yet asked again`);
  }
  assert.match(await page.innerText('.notice'), /\d+ answers came from this browser's cache .* each checked again/);
  // cleared: everything is asked again
  await page.getByText('Settings', { exact: true }).click();
  await page.getByRole('button', { name: 'Clear the cache' }).click();
  await page.waitForFunction(() => /cache of chain answers is cleared/.test(document.querySelector('.notice')?.innerText ?? ''));
  const third = await check();
  assert.equal(third.length, first.length);
  console.log(`# requests: first check ${first.length}, second (cached) ${second.length}, after clearing ${third.length}`);
  await page.close();
});

test('a miner still unpaid is verified through the proof service', async () => {
  const miner = miners.find((m) => m.epochs[3].score !== null && !m.epochs[3].paid);
  const { page } = await open(miner.address);
  const table = await rows(page);
  checkAgainstTruth(table, miner);
  // through the node, "not yet" is proven: the box in the state of its last block
  const tip = JSON.parse(await (await fetch(`${base}/info`)).text()).fullHeight;
  assert.equal(table[3][4], 'not yet');
  assert.ok(table[3][6].includes(`unspent in the state of block ${thousands(tip)} (its state root; proof of work checked)`), table[3][6]);
  await page.close();
});

test('an address not in the pool is proven absent from every epoch', async () => {
  // a real P2PK address that mined nothing here
  const outsider = '9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vA';
  const { page } = await open(outsider);
  const table = await rows(page);
  for (const r of table) {
    assert.equal(r[4], 'not in this epoch');
    assert.ok(r[6].startsWith('✓'), r[6]);
  }
  await page.close();
});

test('an invalid address is refused as it is typed, with the reason, and cannot be checked', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/?network=devnet`);
  const input = page.getByLabel('Miner address');
  await input.fill('9fRAWhdxEsTcdb8PhGNrZfwqa65zfkuYHAMmkQLcic1gdLSV5vB');
  await page.waitForFunction(() => document.querySelector('#address').getAttribute('aria-invalid') === 'true');
  assert.match(await page.innerText('#address-help'), /Invalid address: checksum mismatch/);
  assert.equal(await page.getByRole('button', { name: 'Check' }).isDisabled(), true);
  await page.screenshot({ path: `${SHOTS}/invalid-address.png` });
  await input.fill('not an address');
  assert.match(await page.innerText('#address-help'), /Invalid address: not base58/);
  await page.close();
});

test('keyboard only: tab to the address, type, press Enter', async () => {
  const miner = miners[3];
  const page = await openBlank();
  await page.keyboard.press('Tab'); // pool
  await page.keyboard.press('Tab'); // address
  assert.equal(await page.evaluate(() => document.activeElement.id), 'address');
  await page.keyboard.type(miner.address);
  await page.keyboard.press('Enter');
  checkAgainstTruth(await rows(page), miner);
  await page.close();
});

test('the node stopped mid-query: a clear error with retry, and the retry succeeds', async () => {
  const p = await freePort();
  let d = await startDevnet(p);
  const miner = miners[5];
  const page = await openBlank(`http://127.0.0.1:${p}`);
  await page.getByLabel('Miner address').fill(miner.address);
  // stop the devnet once the walk has begun
  let seen = 0;
  const stopped = new Promise((resolve) => {
    page.on('request', (r) => {
      if (r.url().includes('/blockchain/transaction/') && ++seen === 3) stopDevnet(d).then(resolve);
    });
  });
  await page.getByRole('button', { name: 'Check' }).click();
  await stopped;
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 30_000 });
  assert.match(await alert.innerText(), /node is unreachable|not answering/);
  assert.equal(await page.locator('td.mark .ok').count() <= 1, true);
  await page.screenshot({ path: `${SHOTS}/node-unreachable.png` });
  d = await startDevnet(p);
  await page.getByRole('button', { name: 'Retry' }).click();
  checkAgainstTruth(await rows(page), miner);
  assert.equal(await page.getByRole('alert').count(), 0);
  await page.close();
  await stopDevnet(d);
});

test('a devnet serving tampered lookup proofs: the failure is shown, never "verified"', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'proofs']);
  const miner = miners.find((m) => m.epochs[3].score !== null && !m.epochs[3].paid);
  const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
  const table = await rows(page);
  const last = table[3];
  assert.ok(last[6].startsWith('✗'), last[6]);
  assert.match(last[6], /not verified: the pool's lookup proof fails/);
  assert.equal(last[1], '–', 'no score is shown from an unverified proof');
  assert.equal(last[4], 'unknown', 'nothing unverified is stated as paid or unpaid');
  await page.screenshot({ path: `${SHOTS}/tampered-proof.png`, fullPage: true });
  await page.close();
  await stopDevnet(d);
});

test('a devnet serving tampered payouts: the walk refuses them and nothing shows verified', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'payouts']);
  const { page } = await open(miners[0].address, { at: `http://127.0.0.1:${p}` });
  // each epoch fails in its own row; none stops the others
  const table = await rows(page);
  // every epoch the miner is in rests on a payout that does not verify; an epoch they are
  // proven absent from rests on no payout, and says so
  for (const [i, r] of table.entries()) {
    if (miners[0].epochs[i].score === null) {
      assert.match(r[6], /^✓[^?].*proven absent from the epoch's first state/);
      continue;
    }
    assert.ok(r[6].startsWith('✗'), r[6]);
    assert.match(r[6], /does not verify/);
  }
  assert.ok(miners[0].epochs.some((e) => e.score !== null));
  await page.close();
  await stopDevnet(d);
});

/** The page's rows through GraphQL at `at`, for `address` (the devnet's rules). */
async function graphqlRows(at, address) {
  const page = await browser.newPage();
  await page.goto(`${at}/?network=devnet`);
  await page.getByText('Settings').click();
  await page.getByLabel('Kind of source').selectOption('graphql');
  await page.getByLabel('Source URL').fill(`${at}/graphql`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByLabel('Miner address').fill(address);
  await page.getByRole('button', { name: 'Check' }).click();
  const table = await rows(page);
  await page.evaluate(() => localStorage.clear());
  return { page, table };
}

test('a source whose inclusion proofs lie: every row replays, none is tied to a block, no ✓ (node and GraphQL)', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'inclusion']);
  try {
    const at = `http://127.0.0.1:${p}`;
    const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
    const { page } = await open(miner.address, { at });
    const byNode = await rows(page);
    await page.screenshot({ path: `${SHOTS}/lie-inclusion.png`, fullPage: true });
    await page.close();
    const { page: gql, table: byGraphql } = await graphqlRows(at, miner.address);
    await gql.close();
    for (const [source, table] of [['node', byNode], ['graphql', byGraphql]]) {
      for (const r of table) {
        assert.ok(r[6].startsWith('✗'), `${source}: ${r[6]}`);
        // the proofs replayed; the transaction is not shown in its block
        assert.match(r[6], /replayed|checked against the digest/, `${source}: ${r[6]}`);
        assert.match(r[6], /not in a block of the chain: .*(does not lead to the block's transactions root|do not include)/, `${source}: ${r[6]}`);
        assert.ok(!/^paid/.test(r[4]), `${source}: ${r[4]}`);
      }
      assert.equal(table.filter((r) => r[6].startsWith('✓')).length, 0);
    }
  } finally {
    await stopDevnet(d);
  }
});

test('a source serving headers nobody mined: every row names the header whose proof of work fails, no ✓', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'pow']);
  try {
    const miner = miners.find((m) => m.epochs[0].paid && m.epochs[3].score !== null);
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page);
    for (const r of table) {
      assert.ok(r[6].startsWith('✗'), r[6]);
      assert.match(r[6], /not in a block of the chain: header [0-9a-f]{64} at height \d+: its proof of work does not meet its difficulty/, r[6]);
    }
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a payout no block holds, valid under the contract: replayed, but refused as in no block; the miner is shown no payment', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'fabricated']);
  try {
    // a miner the fabricated payout "pays": the epoch's next pending batch
    const miner = miners.find((m) => m.epochs[3].pendingBatch === 0);
    assert.ok(miner, 'a miner of the next pending batch');
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page);
    const last = table[3];
    // the lie replays: a payout the contract accepts, with this miner in it...
    assert.match(last[4], /^not proven: paid [\d.]+ ERG/, last[4]);
    assert.match(last[6], /proof of payout .* replayed against the digest of box/, last[6]);
    // ...in no block: no ✓, and the reason
    assert.ok(last[6].startsWith('✗'), last[6]);
    assert.match(last[6], /not in a block of the chain: no proof that transaction .* is in block [\d,]+/, last[6]);
    // the totals count only what is tied to a block: not this payment
    const total = await page.innerText('tfoot');
    const truth = miner.epochs.filter((e) => e.paid).reduce((a, e) => a + BigInt(e.paid), 0n);
    assert.ok(total.includes(`${erg(truth)} ERG paid`), `${total} vs ${erg(truth)}`);
    // the rows the lie does not touch keep their ✓
    for (const r of table.slice(0, 3)) assert.match(r[6], /^✓[^?]/, r[6]);
    await page.screenshot({ path: `${SHOTS}/lie-fabricated-payout.png`, fullPage: true });
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a payout the source hides (its state box shown unspent): the node\'s proof of its state shows the box spent, so no ✓; through GraphQL alone "not yet" says it is the source\'s word', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'hidden-spend']);
  try {
    // a miner the hidden payout paid: the epoch's last payout
    const last = Math.max(...miners.filter((m) => m.epochs[3].paid).map((m) => m.epochs[3].paidHeight));
    const miner = miners.find((m) => m.epochs[3].paid && m.epochs[3].paidHeight === last);
    assert.ok(miner, 'a miner of the last payout');
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page);
    const row = table[3];
    // the lie replays (the box and its lookup are real) but the box is not in the chain's state
    assert.ok(row[6].startsWith('✗'), row[6]);
    assert.equal(row[4], 'not proven: not yet');
    assert.match(row[6], /pool's lookup proof checked against the digest of box/, row[6]);
    assert.match(row[6], /box [0-9a-f]{8}…[0-9a-f]{8} is not in the state of block [\d,]+ \(its state root; proof of work checked\), though the source says unspent: spent since, by a transaction it does not show, or never on this chain/, row[6]);
    assert.equal(await page.locator('tbody tr').nth(3).locator('button.pay').count(), 0);
    for (const r of table.slice(0, 3)) assert.match(r[6], /^✓[^?]/, r[6]);
    await page.screenshot({ path: `${SHOTS}/lie-hidden-spend.png`, fullPage: true });
    // through GraphQL alone, which proves no state: "not yet" rests on its word, and says so
    await page.getByText('Settings', { exact: true }).click();
    await page.getByLabel('Kind of source').selectOption('graphql');
    await page.getByLabel('Source URL').fill(`http://127.0.0.1:${p}/graphql`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => /Settings saved: explorer GraphQL/.test(document.querySelector('.notice')?.innerText ?? ''));
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForFunction(() => /\(the source's word\)/.test(document.querySelector('tbody')?.innerText ?? ''));
    const alone = await rows(page);
    assert.equal(alone[3][4], "not yet (the source's word)");
    assert.match(alone[3][6], /unspent, so not yet paid, on the source's word \(a later payout would not show if it lied\)/, alone[3][6]);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a box nobody made, naming a real transaction in a real block: the lookup replays, but the box is not that transaction\'s output, so no ✓', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'made-up-box']);
  try {
    const miner = miners.find((m) => m.epochs[3].score !== null);
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page);
    const last = table[3];
    assert.ok(last[6].startsWith('✗'), last[6]);
    assert.match(last[6], /pool's (lookup proof|snapshot) checked against the digest of box/, last[6]);
    assert.match(last[6], /not in a block of the chain: box [0-9a-f]{64} is not an output of transaction [0-9a-f]{64}, the transaction it names/, last[6]);
    for (const r of table.slice(0, 3)) assert.match(r[6], /^✓[^?]/, r[6]);
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('on mainnet\'s rules the devnet\'s chain is refused by name: no ✓, and the page says which rules apply', async () => {
  const miner = miners.find((m) => m.epochs[0].paid);
  const page = await browser.newPage();
  await page.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(miner.address)}`);
  const table = await rows(page);
  assert.match(await page.innerText('.rules'), /mainnet's rules: every header mined at a difficulty of at least 281474976710656/);
  for (const r of table) {
    assert.ok(!r[6].startsWith('✓'), r[6]);
    assert.match(r[6], /asks for difficulty 2, below mainnet's floor of 281474976710656: a chain anyone can mine/, r[6]);
  }
  // the devnet's rules are said as such
  const devnet = await browser.newPage();
  await devnet.goto(`${base}/?network=devnet`);
  assert.match(await devnet.innerText('.rules'), /the devnet's rules, not mainnet's: a difficulty of at least 2/);
  await devnet.close();
  await page.close();
});

test('two sources: one that agrees is said to; one that disagrees (it says the open epochs\' boxes were spent) is named with both answers, and those rows get no ✓', async () => {
  const miner = miners.find((m) => m.epochs[0].paid && m.epochs[1].paid && m.epochs[3].score !== null && !m.epochs[3].paid);
  const check = async (lie) => {
    const page = await browser.newPage();
    if (lie) {
      // the second source claims every unspent box it is asked about was spent
      await page.route('**/graphql', async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        for (const b of body.data?.boxes ?? []) if (!b.spentBy) b.spentBy = { transactionId: 'ab'.repeat(32) };
        await route.fulfill({ response, json: body });
      });
    }
    await page.goto(`${base}/?network=devnet`);
    await page.getByText('Settings').click();
    await page.locator('#cross-kind').selectOption('graphql');
    await page.locator('#cross').fill(`${base}/graphql`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('Miner address').fill(miner.address);
    await page.getByRole('button', { name: 'Check' }).click();
    const table = await rows(page);
    await page.evaluate(() => localStorage.clear());
    return { page, table };
  };
  // the same chain through its GraphQL: every row agrees, and says what was compared
  const agree = await check(false);
  checkAgainstTruth(agree.table, miner);
  for (const r of agree.table) assert.match(r[6], /the graphql at .* agrees \(the transaction(, the tip box)?, the block\)/, r[6]);
  await agree.page.close();
  // a second source that says the open epochs' tips were spent
  const differ = await check(true);
  let disagreed = 0;
  for (const [i, r] of differ.table.entries()) {
    if (/the sources disagree/.test(r[6])) {
      disagreed += 1;
      assert.ok(r[6].startsWith('✗'), r[6]);
      assert.match(r[6], /the sources disagree: box [0-9a-f]{12}…: this source says unspent, the graphql at http:\/\/127\.0\.0\.1:\d+\/graphql says spent by abababababab…/, r[6]);
      assert.equal(miner.epochs[i].closed, null, 'only an open epoch\'s tip is unspent');
    } else {
      assert.match(r[6], /^✓[^?].*the graphql at .* agrees/, r[6]);
    }
  }
  assert.ok(disagreed >= 1, 'the open epochs disagree');
  await differ.page.screenshot({ path: `${SHOTS}/sources-disagree.png`, fullPage: true });
  await differ.page.close();
});

test('CSV export holds the table', async () => {
  const miner = miners.find((m) => m.epochs[0].paid);
  const { page } = await open(miner.address);
  const table = await rows(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^address,epoch,contract,score,max_score,share,expected_erg,paid,paid_erg,transaction,height,verified$/);
  const first = lines[1].split(',');
  assert.equal(first[0], miner.address);
  assert.equal(first[3], String(miner.epochs[0].score));
  assert.equal(first[6], erg(miner.epochs[0].expected));
  assert.equal(first[8], erg(miner.epochs[0].paid));
  assert.equal(first[9], miner.epochs[0].transaction);
  assert.ok(table[0][6].includes(first[11].replace(/^verified: /, '').slice(0, 20)) || lines[1].includes('replayed'));
  await page.close();
});

test('the shareable URL restores the view', async () => {
  const miner = miners[7];
  const page = await openBlank();
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  const before = await rows(page);
  const shared = await page.locator('.share a').getAttribute('href');
  assert.equal(page.url(), shared, 'the address bar holds the shareable URL');
  const again = await browser.newPage();
  await again.goto(shared);
  assert.deepEqual(await rows(again), before);
  assert.equal(await again.inputValue('#address'), miner.address);
  await page.close();
  await again.close();
});

test('on a phone-sized screen nothing overflows the page and the table scrolls in its own box', async () => {
  const miner = miners.find((m) => m.epochs[0].paid);
  const { page } = await open(miner.address, { viewport: { width: 375, height: 740 } });
  checkAgainstTruth(await rows(page), miner);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  assert.equal(await page.locator('.table-wrap').getAttribute('role'), 'region');
  await page.screenshot({ path: `${SHOTS}/phone.png`, fullPage: true });
  await page.close();
});

test('a new query cancels the one under way', async () => {
  const [a, b] = [miners[10], miners[11]];
  const page = await openBlank();
  const input = page.getByLabel('Miner address');
  await input.fill(a.address);
  await page.getByRole('button', { name: 'Check' }).click();
  await input.fill(b.address);
  await page.getByRole('button', { name: 'Check' }).click();
  checkAgainstTruth(await rows(page), b);
  await page.waitForTimeout(1500); // anything of the first query arriving late would show now
  checkAgainstTruth(await rows(page), b);
  await page.close();
});

test('connect wallet (EIP-12) fills the wallet addresses and checks; a refusal is explained', async () => {
  const [a, b] = [miners[20], miners[21]];
  const page = await browser.newPage();
  await page.addInitScript(([x, y]) => {
    window.ergoConnector = { nautilus: { connect: async () => true, isConnected: async () => true } };
    window.ergo = { get_used_addresses: async () => [x, y], get_change_address: async () => x };
  }, [a.address, b.address]);
  await page.goto(`${base}/?network=devnet`);
  await page.waitForFunction(() => document.querySelectorAll('#pool option').length > 0);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  checkAgainstTruth(await rows(page), a);
  assert.equal(await page.inputValue('#address'), a.address);
  // the second address of the wallet, chosen from the list
  await page.getByLabel('Wallet addresses').selectOption(b.address);
  checkAgainstTruth(await rows(page), b);
  await page.close();

  const declined = await browser.newPage();
  await declined.addInitScript(() => {
    window.ergoConnector = { nautilus: { connect: async () => false } };
  });
  await declined.goto(`${base}/?network=devnet`);
  await declined.getByRole('button', { name: 'Connect wallet' }).click();
  await declined.waitForFunction(() => /declined/.test(document.querySelector('.notice')?.innerText ?? ''));
  const none = await browser.newPage();
  await none.goto(`${base}/?network=devnet`);
  await none.getByRole('button', { name: 'Connect wallet' }).click();
  await none.waitForFunction(() => /No EIP-12 wallet/.test(document.querySelector('.notice')?.innerText ?? ''));
  await declined.close();
  await none.close();
});

test('a pool whose box is not on the chain: "not found", nothing verified', async () => {
  const page = await browser.newPage();
  await page.route('**/pools.json', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ pools: [{ name: 'Ghost Pool', epochs: [{ number: 1, startBox: 'ab'.repeat(32) }] }] }),
  }));
  await page.goto(`${base}/?pool=Ghost%20Pool&address=${miners[0].address}&network=devnet`);
  // the epoch's row says so; nothing is verified
  const [row] = await rows(page, 1);
  assert.ok(row[6].startsWith('✗'), row[6]);
  assert.match(row[6], /not found/);
  assert.equal(await page.locator('td.mark .ok').count(), 0);
  await page.close();
});

test('a pool added by its token id is found on the chain and checked', async () => {
  const pools = await (await fetch(`${base}/pools.json`)).json();
  const token = pools.pools[0].token;
  const page = await browser.newPage();
  await page.route('**/pools.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"pools": []}' }));
  await page.goto(`${base}/?network=devnet`);
  await page.getByText('Settings').click();
  await page.getByLabel(/Add a pool/).fill(token);
  await page.getByRole('button', { name: 'Add pool' }).click();
  await page.waitForFunction(() => /Added Pool of token .* with 3 epoch/.test(document.querySelector('.notice')?.innerText ?? ''));
  const miner = miners.find((m) => m.epochs[1].paid);
  await page.getByLabel('Miner address').fill(miner.address);
  await page.getByRole('button', { name: 'Check' }).click();
  // the token's pool: the three hardened epochs (the draft one holds no token)
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 3 && !document.querySelector('.progress progress'), null, { timeout: 60_000 });
  const table = await page.$$eval('tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.innerText.trim())));
  assert.equal(table[0][1], String(miner.epochs[1].score));
  assert.ok(table[0][6].startsWith('✓'));
  await page.close();
});

test('a pool with more boxes than one page of the source: added by its token through GraphQL, every page read, every epoch checked in groups of many ids per request', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--epochs', '80']);
  try {
    const at = `http://127.0.0.1:${p}`;
    const { pools: [pool] } = await (await fetch(`${at}/pools.json`)).json();
    const { items } = await (await fetch(`${at}/devnet/miners?limit=3000`)).json();
    // the token's boxes: those of every hardened epoch (all but the first, the draft's)
    const epochs = pool.epochs.length - 1;
    const page = await browser.newPage();
    const bodies = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/graphql') bodies.push(r.postData() ?? ''); });
    await page.route('**/pools.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"pools": []}' }));
    await page.goto(`${at}/?network=devnet`);
    await page.getByText('Settings').click();
    await page.getByLabel('Kind of source').selectOption('graphql');
    await page.getByLabel('Source URL').fill(`${at}/graphql`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => /Settings saved: explorer GraphQL/.test(document.querySelector('.notice')?.innerText ?? ''));
    await page.getByLabel(/Add a pool/).fill(pool.token);
    await page.getByRole('button', { name: 'Add pool' }).click();
    await page.waitForFunction((n) => new RegExp(`Added Pool of token .* with ${n} epoch`).test(document.querySelector('.notice')?.innerText ?? ''), epochs, { timeout: 60_000 });
    // more than one page of ergo-graphql's 200 boxes: the listing went on to the next
    const pages = bodies.filter((b) => b.includes('BoxesByToken')).map((b) => JSON.parse(b).variables.skip);
    assert.ok(pages.length >= 2, `pages read: ${pages}`);
    assert.deepEqual(pages, pages.map((_, i) => i * 200));
    // a miner in many of them: every row as the ground truth says
    const miner = items.reduce((a, b) => (b.epochs.filter((e) => e.score !== null).length > a.epochs.filter((e) => e.score !== null).length ? b : a));
    // the ground truth with the epochs renumbered from the token's first
    const truth = { ...miner, epochs: miner.epochs.slice(1).map((e, i) => ({ ...e, number: i + 1 })) };
    bodies.length = 0;
    await page.getByLabel('Miner address').fill(miner.address);
    await page.getByRole('button', { name: 'Check' }).click();
    const table = await rows(page, epochs, 120_000);
    checkAgainstTruth(table, truth);
    // boxes and transactions asked for many at once, within ergo-graphql's 20 ids a list
    const lists = bodies.map((b) => JSON.parse(b)).filter((b) => Array.isArray(b.variables?.ids));
    assert.ok(lists.some((b) => b.variables.ids.length > 1), 'ids asked together');
    assert.ok(lists.every((b) => b.variables.ids.length <= 20));
    assert.ok(bodies.length < epochs, `${bodies.length} GraphQL requests for ${epochs} epochs`);
    // through a node, which has no lists of ids: the pool's boxes read by its token in a few
    // pages, not asked one by one
    const paths = [];
    page.on('request', (r) => paths.push(new URL(r.url()).pathname));
    // (Settings is still open)
    await page.getByLabel('Kind of source').selectOption('node');
    await page.getByLabel('Source URL').fill(at);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => /Settings saved: .*node 6/.test(document.querySelector('.notice')?.innerText ?? ''));
    await page.getByRole('button', { name: 'Check' }).click();
    checkAgainstTruth(await rows(page, epochs, 120_000), truth);
    assert.ok(paths.some((p) => p.startsWith('/blockchain/box/byTokenId/')), 'the pool\'s boxes were listed');
    const byId = paths.filter((p) => p.startsWith('/blockchain/box/byId/')).length;
    assert.ok(byId < epochs / 2, `${byId} boxes asked one by one for ${epochs} epochs`);
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a pool added by an address where anyone can make boxes: two identity tokens there, so the app asks for the token, and the token finds only the pool\'s epochs', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--scenario', 'forged-box']);
  try {
    const at = `http://127.0.0.1:${p}`;
    const { pools: [pool] } = await (await fetch(`${at}/pools.json`)).json();
    const page = await browser.newPage();
    await page.route('**/pools.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"pools": []}' }));
    await page.goto(`${at}/?network=devnet`);
    await page.getByText('Settings').click();
    await page.getByLabel(/Add a pool/).fill(pool.shareStateAddress);
    await page.getByRole('button', { name: 'Add pool' }).click();
    await page.waitForFunction(() => /Could not add the pool: the share-state boxes at that address hold 2 different identity tokens \(anyone can make a box there\): add the pool by its token id/.test(document.querySelector('.notice')?.innerText ?? ''));
    await page.getByLabel(/Add a pool/).fill(pool.token);
    await page.getByRole('button', { name: 'Add pool' }).click();
    await page.waitForFunction(() => /Added Pool of token .* with 3 epoch/.test(document.querySelector('.notice')?.innerText ?? ''));
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('an operator who cheats in the epoch\'s parameters: red alarms that say what they can take, no plain ✓, no payout where the epoch ended', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist',
    '--scenario', 'early-close', '--scenario', 'half-max-score', '--scenario', 'empty-payouts']);
  try {
    const at = `http://127.0.0.1:${p}`;
    const cheated = (await (await fetch(`${at}/devnet/miners?limit=400`)).json()).items;
    // a miner in every cheating epoch, unpaid in each
    const miner = cheated.find((m) => m.epochs.slice(4).every((e) => e.score !== null && !e.paid));
    const { page, errors } = await open(miner.address, { at });
    const table = await rows(page, 7, 90_000);
    const alarms = await page.innerText('ul.alarms');
    // a deadline 10 blocks after the opening, and closed at it with every miner unpaid
    assert.match(alarms, /Epoch 5: can close early: [\d.]+ ERG owed to \d+ unpaid miners — the operator may close the epoch from height \d+, 10 blocks after it opened/);
    assert.match(alarms, /Epoch 5: you were never paid: the epoch closed by the operator at height \d+/);
    assert.match(alarms, /Epoch 5: the epoch ended \(transaction .*\) with [\d.]+ ERG owed to \d+ unpaid miners/);
    assert.equal(table[4][4], 'never: the epoch ended');
    // maxScore half the scores' sum: the reward runs out
    assert.match(alarms, /Epoch 6: maxScore \(R5\) is \d+ but the scores sum to \d+: every payment is computed wrong, and the reward runs out/);
    // a flood of empty payouts (on the draft: the hardened contract refuses them) is reported,
    // and the epoch still checks
    assert.match(await page.innerText('ul.warnings'), /Epoch 7: 30 payouts paid no one/);
    for (const i of [4, 5]) {
      assert.ok(!table[i][6].startsWith('✓'), `epoch ${i + 1} must not show a plain ✓: ${table[i][6]}`);
      assert.match(table[i][6], /fails its audit/);
    }
    assert.match(table[6][6], /^✓[^?]/);
    // the honest epochs are as before
    checkAgainstTruth(table.slice(0, 4), { ...miner, epochs: miner.epochs.slice(0, 4) });
    // no "Pay out now" where the epoch has ended
    const payable = await page.$$eval('tbody tr', (trs) => trs.map((tr) => !!tr.querySelector('button.pay')));
    assert.equal(payable[4], false);
    await page.screenshot({ path: `${SHOTS}/operator-cheats.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('a proof service slower than the timeout: every epoch still gets its row, the slow answers are named', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'slow-proofs']);
  try {
    const miner = miners.find((m) => m.epochs.slice(0, 3).every((e) => e.paid) && m.epochs[3].score !== null && !m.epochs[3].paid);
    const { page } = await open(miner.address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page, 4, 120_000);
    assert.equal(table.length, 4);
    // the lookup of epoch 4 timed out: its row fails and says why
    assert.ok(table[3][6].startsWith('✗'), table[3][6]);
    assert.match(table[3][6], /did not answer within 8 s/);
    // no snapshot, no audit: said plainly, never a plain ✓
    for (const r of table.slice(0, 3)) {
      assert.match(r[6], /^✓\?/);
      assert.match(r[6], /not audited: no snapshot from the pool's proof service: .* did not answer within 8 s/);
    }
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('an oversized answer is refused with the limit named, in every epoch', async () => {
  const p = await freePort();
  const d = await startDevnet(p, ['--static', 'dist', '--tamper', 'huge']);
  try {
    const { page } = await open(miners[0].address, { at: `http://127.0.0.1:${p}` });
    const table = await rows(page);
    for (const r of table) {
      assert.ok(r[6].startsWith('✗'), r[6]);
      assert.match(r[6], /answered with more than 32 MiB/);
    }
    await page.close();
  } finally {
    await stopDevnet(d);
  }
});

test('the page has a Content-Security-Policy, runs under it, and links only http(s)', async () => {
  const html = readFileSync('dist/index.html', 'utf8');
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
  assert.ok(csp, 'dist/index.html has a CSP');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.match(csp, /connect-src 'self' http: https:/);
  assert.match(csp, /object-src 'none'/);
  const page = await browser.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
  // a hostile explorer setting: the links keep to the public explorer
  await page.addInitScript(() => localStorage.setItem('sharestate.explorer', 'javascript:alert(1)//'));
  const miner = miners.find((m) => m.epochs[0].paid);
  await page.goto(`${base}/?pool=${encodeURIComponent('Demo Pool')}&address=${encodeURIComponent(miner.address)}&network=devnet`);
  await rows(page);
  const hrefs = await page.$$eval('td.tx a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0);
  for (const h of hrefs) assert.match(h, /^(https?:\/\/|\/)/, h);
  assert.deepEqual(violations, []);
  await page.close();
});
