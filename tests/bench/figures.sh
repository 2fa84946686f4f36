#!/usr/bin/env bash
# The README's benchmark figures that divan does not give: peak memory of a
# full `topo build` at N = 5,000, and the reference argon2id C implementation
# (argon2-cffi) with Authelia's parameters, to compare with the
# `argon2id_one_hash` bench. Run after `cargo build --release`, with the
# venv of .ci/run (for argon2-cffi): bash tests/bench/figures.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet --example synth
topo="$PWD/target/release/topo"
python="${PYTHON:-.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for n in 50 500 5000; do
  mkdir -p "$work/$n"
  target/release/examples/synth "$n" > "$work/$n/topology.kdl"
  # Peak resident memory and wall time of a full build (hashes of new
  # clients included: the first build of a topology without a lock).
  ( cd "$work/$n"
    /usr/bin/time -f "N=$n first build (new secrets, argon2): %e s, peak %M KiB" "$topo" build 2>&1 >/dev/null | tail -1
    rm -rf out
    /usr/bin/time -f "N=$n build with topo.lock: %e s, peak %M KiB" "$topo" build 2>&1 >/dev/null | tail -1
    /usr/bin/time -f "N=$n unchanged rebuild: %e s, peak %M KiB" "$topo" build 2>&1 >/dev/null | tail -1
    /usr/bin/time -f "N=$n unchanged rebuild --no-cache: %e s, peak %M KiB" "$topo" build --no-cache 2>&1 >/dev/null | tail -1
    /usr/bin/time -f "N=$n cp -r out: %e s" cp -r out out-copy 2>&1 | tail -1
    echo "N=$n: $(wc -c < topology.kdl) bytes of KDL, $(find out -type f | wc -l) files, $(du -sk out | cut -f1) KiB in out/" )
done

"$python" - <<'PY'
import os, time
from argon2 import PasswordHasher, low_level
ph = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16,
                    type=low_level.Type.ID)
secret = os.urandom(48).hex()
ph.hash(secret)  # warm up
runs = 5
start = time.perf_counter()
for _ in range(runs):
    ph.hash(secret)
print(f"argon2-cffi (C reference), m=65536 t=3 p=4: {(time.perf_counter() - start) / runs * 1000:.0f} ms per hash")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
