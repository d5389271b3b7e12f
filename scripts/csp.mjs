// Writes the page's Content-Security-Policy into dist/index.html, after Trunk: scripts only from
// the page itself (Trunk's one inline loader by its sha256 hash), wasm compiled from the page's
// own module, styles from the page, no plugins, no framing, and connections — the node, the
// explorer and the pool's proof service the miner configures — over http(s) only.
//   node scripts/csp.mjs dist/index.html
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'dist/index.html';
let html = readFileSync(file, 'utf8');
html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/g, '');
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self' data:",
  // the sources are the miner's to choose (Settings): any http(s) origin, nothing else
  "connect-src 'self' http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');
html = html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
writeFileSync(file, html);
console.log(`[csp] ${file}: ${inline.length} inline script(s) allowed by hash`);
