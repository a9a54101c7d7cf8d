#!/usr/bin/env bash
# Builds target/deploy/cpi_forwarder.so with the escrow's toolchain (scripts/build-program.sh
# installs it): a no-op when the .so is newer than this crate's sources.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/target/deploy/cpi_forwarder.so"
if [ -f "$out" ] && [ -z "$(find "$here" -newer "$out" -type f -not -path '*/target/*' -print -quit)" ]; then
  exit 0
fi
linker_dir=$(bash "$root/scripts/install-toolchain.sh" --print-linker-dir | tail -1)
cd "$root"  # .cargo/config.toml there sets the sbpf-linker for the bpf target
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 PATH="$linker_dir:$PATH" \
  /usr/bin/cargo build --release --target bpfel-unknown-none -Z build-std=core,alloc \
  --manifest-path "$here/Cargo.toml" --target-dir "$root/target/cpi-forwarder" \
  --config 'target.bpfel-unknown-none.rustflags=["-C", "link-arg=--arch=v3"]' >&2
mkdir -p "$root/target/deploy"
cp "$root/target/cpi-forwarder/bpfel-unknown-none/release/libcpi_forwarder.so" "$out"
echo "cpi-forwarder: $out" >&2
