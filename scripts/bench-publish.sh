#!/usr/bin/env bash
# Times `sharestate publish` (the pool proof service as static files, issue 12) on a share state
# of N miners (default 100,000): scores CSV → snapshot → one proof file per miner. The files go
# to a temporary directory, removed afterwards. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
n=${1:-100000}
cargo build --release --quiet --bin sharestate
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$n" > "$dir/scores.csv" <<'PY'
import hashlib, sys
ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
def b58(b):
    n = int.from_bytes(b, 'big'); s = ''
    while n: n, r = divmod(n, 58); s = ALPHABET[r] + s
    return '1' * (len(b) - len(b.lstrip(b'\0'))) + s
print('address,score')
for i in range(int(sys.argv[1])):
    body = b'\x01\x02' + hashlib.blake2b(i.to_bytes(8, 'big'), digest_size=32).digest()
    print(f"{b58(body + hashlib.blake2b(body, digest_size=32).digest()[:4])},{1000 + i % 5000}")
PY
./target/release/sharestate state build --scores "$dir/scores.csv" --out "$dir/state.bin" >/dev/null
start=$(date +%s.%N)
./target/release/sharestate publish "$dir/state.bin" --box "$(printf 'ab%.0s' {1..32})" --out "$dir/files"
end=$(date +%s.%N)
echo "publish of $n miners: $(python3 -c "print(f'{$end - $start:.2f}')") s wall, $(du -sh "$dir/files" | cut -f1) on disk, $(find "$dir/files" -type f | wc -l) files"
