#!/usr/bin/env bash
# Builds target/deploy/arknet_escrow.so: Debian's rustc compiles the program (and core
# and alloc, with -Z build-std) to LLVM bitcode for bpfel-unknown-none, and sbpf-linker
# (configured as the linker in .cargo/config.toml) links an SBPF v0 .so. Installs the
# toolchain first when it is missing; a no-op when the .so is newer than every source.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/deploy/arknet_escrow.so
if [ -f "$out" ] && [ -z "${FORCE_BUILD:-}" ] && \
   [ -z "$(find programs Cargo.toml Cargo.lock .cargo -newer "$out" -type f -print -quit)" ]; then
  echo "build-program: $out is up to date"
  exit 0
fi

bash scripts/install-toolchain.sh

# Debian's rustc has the library sources build-std needs (rustup's toolchains here
# have none); RUSTC_BOOTSTRAP enables -Z on this stable compiler.
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 PATH="$HOME/.cargo/bin:$PATH" \
  /usr/bin/cargo build --release --target bpfel-unknown-none -Z build-std=core,alloc -p arknet-escrow

mkdir -p target/deploy
cp target/bpfel-unknown-none/release/libarknet_escrow.so "$out"
echo "build-program: $out ($(stat -c %s "$out") bytes)"
