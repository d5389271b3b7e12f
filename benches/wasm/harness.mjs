// Times the core's verification as wasm under Node. Usage:
//   node benches/wasm/harness.mjs <module.wasm> <inputs dir>
// Prints one JSON object: medians in microseconds per operation, and the module's size.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const [wasmPath, dir] = process.argv.slice(2);
const bytes = readFileSync(wasmPath);
const { instance } = await WebAssembly.instantiate(bytes, {});
const x = instance.exports;

function load(fn, file) {
  const input = readFileSync(join(dir, file));
  const ptr = x.alloc(input.length);
  new Uint8Array(x.memory.buffer, ptr, input.length).set(input);
  const r = fn(ptr, input.length);
  if (r < 0) throw new Error(`${file}: load failed`);
  return r;
}

// median over `rounds` rounds of the time per call, each round `reps` calls
function median(run, expect, reps, rounds = 25) {
  for (let i = 0; i < reps; i++) if (run() !== expect) throw new Error('unexpected result');
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) run();
    times.push(Number(process.hrtime.bigint() - t0) / reps / 1000);
  }
  times.sort((a, b) => a - b);
  return +times[Math.floor(times.length / 2)].toFixed(3);
}

const out = { node: process.version, wasmBytes: bytes.length, wasmGzipBytes: gzipSync(bytes, { level: 9 }).length };
for (const size of [32, 66, 74]) {
  out[`hash${size}Micros`] = median(() => x.run_hash(1000, size), x.run_hash(1000, size), 20) / 1000;
}
for (const n of [2239, 100000, 1000000]) {
  load(x.load_lookup, `lookup-${n}.bin`);
  out[`lookup${n}Micros`] = median(() => x.run_lookup(), 1, 2000);
}
const miners = load(x.load_payout, 'payout-300.bin');
out.payoutMiners = miners;
out.payoutCheckMicros = median(() => x.run_check(), 1, 50);
for (const c of ['update', 'payout']) {
  out[`${c}150CommandKeys`] = load(x.load_command, `command-${c}-150.bin`);
  out[`${c}150CommandCheckMicros`] = median(() => x.run_command(), 1, 100);
}
console.log(JSON.stringify(out, null, 2));
