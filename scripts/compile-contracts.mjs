// Compiles the ErgoScript in contracts/ with the Fleet compiler (which runs sigmastate-js, the
// reference compiler) and writes contracts/contracts.json: each contract's ErgoTree, and for
// the parametrized ones the placeholder constants that a pool replaces with its own (the trees
// segregate constants, so replacing one needs no recompilation).
//   node scripts/compile-contracts.mjs          write contracts/contracts.json
//   node scripts/compile-contracts.mjs --check  fail if the committed file differs
import { compile } from '@fleet-sdk/compiler';
import { blake2b256, hex } from '@fleet-sdk/crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const compilerVersion = JSON.parse(readFileSync('node_modules/@fleet-sdk/compiler/package.json', 'utf8')).version;

// Placeholders: values that occur nowhere else in the trees. The generator point of secp256k1
// stands for the operator's key; 0xaa… for a script hash.
export const PLACEHOLDERS = {
  _operator: { type: 'SigmaProp', constant: '08cd0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' },
  _shareStateHash: { type: 'Coll[Byte]', constant: '0e20' + 'aa'.repeat(32) },
  // Design 2: the pool NFT's id, the four command trees' hashes (Coll[Coll[Byte]] of 4), the
  // Update command tree's hash
  _poolNFT: { type: 'Coll[Byte]', constant: '0e20' + 'bb'.repeat(32) },
  _commandHashes: { type: 'Coll[Coll[Byte]]', constant: '1a04' + ('20' + 'cc'.repeat(32)).repeat(4) },
  _updateHash: { type: 'Coll[Byte]', constant: '0e20' + 'dd'.repeat(32) },
};

const CONTRACTS = [
  { name: 'share_state_draft', params: [], about: "the seed's Design 1 share-state contract, verbatim" },
  { name: 'reward_draft', params: [], about: 'reward box paired with the draft: INPUTS(0) must be the draft share state',
    fixed: { _shareStateHash: 'share_state_draft' } },
  { name: 'share_state', params: ['_operator'], about: 'hardened share state (closes the draft weaknesses)' },
  { name: 'reward', params: ['_shareStateHash'], about: 'reward box paired with the hardened share state' },
  ...['deployed', 'hardened'].flatMap((set) => [
    { name: `persistent/${set}/balance_state`, params: ['_commandHashes', '_operator'],
      about: `Design 2 state box (${set}): the operator signs, INPUTS(1) is one of the pool's commands` },
    { name: `persistent/${set}/insert`, params: ['_poolNFT'], about: `Design 2 Insert command (${set})` },
    { name: `persistent/${set}/update`, params: ['_poolNFT'], about: `Design 2 Update command (${set})` },
    { name: `persistent/${set}/payout`, params: ['_poolNFT'], about: `Design 2 Payout command (${set})` },
    { name: `persistent/${set}/delete`, params: ['_poolNFT'], about: `Design 2 Delete command (${set})` },
  ]),
  { name: 'persistent/holding', params: ['_updateHash', '_operator'],
    about: 'Design 2 holding box (both sets): its value goes to Update command boxes, within 1%' },
];

const out = { compiler: `@fleet-sdk/compiler ${compilerVersion}`, placeholders: PLACEHOLDERS, contracts: {} };
for (const c of CONTRACTS) {
  const source = readFileSync(`contracts/${c.name}.es`, 'utf8');
  const map = {};
  for (const p of c.params) map[p] = PLACEHOLDERS[p].constant;
  for (const [p, other] of Object.entries(c.fixed ?? {})) {
    map[p] = '0e20' + hex.encode(blake2b256(hex.decode(out.contracts[other].ergoTree)));
  }
  const tree = compile(source, { map }).toHex();
  out.contracts[c.name] = { about: c.about, source: `contracts/${c.name}.es`, parameters: c.params, ergoTree: tree };
}
const text = JSON.stringify(out, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const committed = readFileSync('contracts/contracts.json', 'utf8');
  if (committed !== text) {
    console.error('contracts/contracts.json differs from a fresh compile: run node scripts/compile-contracts.mjs');
    process.exit(1);
  }
  console.log('contracts/contracts.json matches a fresh compile');
} else {
  writeFileSync('contracts/contracts.json', text);
  for (const [n, c] of Object.entries(out.contracts)) console.log(`${n}: ${c.ergoTree.length / 2} bytes`);
}
