#!/usr/bin/env bash
# Installs the program toolchain from Debian and crates.io (Anza's platform-tools are
# GitHub downloads and cannot be had): Debian's rustc 1.96 with its library sources
# (for -Z build-std) and LLVM, and sbpf-linker built against the same LLVM major.
# Idempotent: returns at once when everything is present.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need_apt=()
[ -x /usr/bin/rustc ] && /usr/bin/rustc -vV 2>/dev/null | grep -q '^release: 1\.9[6-9]' || need_apt+=(rustc-web cargo-web)
[ -d /usr/lib/rustlib/src/rust/library ] || need_apt+=(rust-web-src)
[ -x /usr/lib/llvm-22/bin/llvm-config ] || need_apt+=(llvm-22-dev)
[ -x /usr/lib/llvm-22/bin/ld.lld ] || need_apt+=(lld-22)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-toolchain: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

llvm_major=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
case "$llvm_major" in
  22) linker_version=0.1.9 ;;
  *)
    echo "install-toolchain: Debian's rustc uses LLVM $llvm_major; this script knows sbpf-linker" >&2
    echo "  0.1.9 for LLVM 22 only. For LLVM 23, sbpf-linker 0.2.x (with --arch v0) is the match:" >&2
    echo "  extend the case in scripts/install-toolchain.sh." >&2
    exit 1 ;;
esac

linker="$HOME/.cargo/bin/sbpf-linker"
# `sbpf-linker --version` prints its version but exits non-zero.
installed_version() { "$linker" --version 2>/dev/null | head -1 || true; }
if [ -x "$linker" ] && [ "$(installed_version)" = "sbpf-linker $linker_version" ] \
   && ldd "$linker" | grep -q "libLLVM.so.$llvm_major"; then
  exit 0
fi

echo "install-toolchain: building sbpf-linker $linker_version against LLVM $llvm_major (a few minutes)"
# llvm-sys finds llvm-config through LLVM_SYS_<major>1_PREFIX; Debian keeps libLLVM.so
# under /usr/lib/llvm-22/lib, which is not on the default linker or loader path.
export LLVM_SYS_${llvm_major}1_PREFIX="/usr/lib/llvm-$llvm_major"
RUSTFLAGS="-L native=/usr/lib/llvm-$llvm_major/lib -C link-arg=-Wl,-rpath,/usr/lib/llvm-$llvm_major/lib" \
  cargo install sbpf-linker --version "$linker_version" --locked --force \
    --no-default-features --features "upstream-gallery-$llvm_major"

if ! ldd "$linker" | grep -q "libLLVM.so.$llvm_major"; then
  echo "install-toolchain: $linker is not linked to LLVM $llvm_major:" >&2
  ldd "$linker" >&2
  exit 1
fi
echo "install-toolchain: ok ($(installed_version), LLVM $llvm_major)"
