#!/usr/bin/env bash
# Builds the program twice from the same sources:
#   target/deploy/arknet_escrow.so     SBPF v3 (clusters with SIMD-0500 refuse v0 deployments)
#   target/deploy/arknet_escrow.v0.so  SBPF v0 (clusters without v3 yet)
# Debian's rustc compiles the program (and core and alloc, with -Z build-std) to LLVM
# bitcode for bpfel-unknown-none; sbpf-linker 0.2.6 (the linker in .cargo/config.toml,
# found first on PATH) optimises the whole program and assembles it for one SBPF version.
# Each version has its own target dir (the link flag differs, so cargo fingerprints
# differ). Installs the toolchain first when it is missing; a no-op when both .so files
# are newer than every source. FORCE_BUILD=1 rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A outputs=([v3]=target/deploy/arknet_escrow.so [v0]=target/deploy/arknet_escrow.v0.so)

up_to_date() {
  [ -f "$1" ] && [ -z "$(find programs Cargo.toml Cargo.lock .cargo scripts/build-program.sh \
    -newer "$1" -type f -print -quit)" ]
}
if [ -z "${FORCE_BUILD:-}" ] && up_to_date "${outputs[v3]}" && up_to_date "${outputs[v0]}"; then
  echo "build-program: ${outputs[v3]} and ${outputs[v0]} are up to date"
  exit 0
fi

linker_dir=$(bash scripts/install-toolchain.sh --print-linker-dir | tail -1)

mkdir -p target/deploy
for arch in v3 v0; do
  # Debian's rustc has the library sources build-std needs (rustup's toolchains here
  # have none); RUSTC_BOOTSTRAP enables -Z on this stable compiler. The --config array
  # is appended to .cargo/config.toml's rustflags.
  CARGO_TARGET_DIR="target/sbpf-$arch" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 PATH="$linker_dir:$PATH" \
    /usr/bin/cargo build --release --target bpfel-unknown-none -Z build-std=core,alloc -p arknet-escrow \
      --config "target.bpfel-unknown-none.rustflags=[\"-C\", \"link-arg=--arch=$arch\"]"
  cp "target/sbpf-$arch/bpfel-unknown-none/release/libarknet_escrow.so" "${outputs[$arch]}"
  echo "build-program: ${outputs[$arch]} (SBPF $arch, $(stat -c %s "${outputs[$arch]}") bytes)"
done
