// What every end-to-end test shares: the devnet binary and its start/stop on a free loopback
// port, Debian's Chromium with the flags this machine needs, and where screenshots go
// (target/screenshots, a build folder; `scripts/screenshots.sh` refreshes docs/screenshots for
// the README with SCREENSHOTS=docs/screenshots).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const DEVNET = process.env.DEVNET_BIN ?? 'target/debug/devnet';
export const SHOTS = process.env.SCREENSHOTS ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A devnet on `port` (serving the built app from dist/ unless `args` say otherwise), once it
 *  has printed its URLs. */
export async function startDevnet(port, args = ['--static', 'dist']) {
  const child = spawn(DEVNET, ['--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ctrl-C stops it.')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`devnet exited ${code}: ${out}`)));
  });
  return child;
}

export function stopDevnet(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** nanoErg (a decimal string, number or BigInt) as ERG with all nine decimals, as the app writes it. */
export const erg = (nano) => {
  const n = BigInt(nano);
  const sign = n < 0n ? '-' : '';
  const a = n < 0n ? -n : n;
  return `${sign}${a / 1_000_000_000n}.${(a % 1_000_000_000n).toString().padStart(9, '0')}`;
};

/** 1600012 → "1,600,012", as the app writes heights. */
export const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
