#!/usr/bin/env bash
# Installs the program toolchain from Debian and crates.io (Anza's platform-tools are
# GitHub downloads and cannot be had): Debian's rustc with its library sources (for
# -Z build-std) and LLVM, and sbpf-linker 0.2.6 built against the same LLVM major.
# sbpf-linker goes to its own prefix (~/.cache/arknet/sbpf-linker-<version>, or
# $ARKNET_TOOLS/...), never ~/.cargo/bin: scripts/build-program.sh puts it first on PATH.
# Idempotent: returns at once when everything is present. Prints the linker's bin dir
# on its last line of stdout when asked with --print-linker-dir.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need_apt=()
# (grep reads a variable, not a pipe: under pipefail, grep -q closing early fails rustc.)
rustc_info=$(/usr/bin/rustc -vV 2>/dev/null || true)
grep -q '^release: 1\.\(9[6-9]\|[1-9][0-9][0-9]\)' <<<"$rustc_info" || need_apt+=(rustc-web cargo-web)
[ -d /usr/lib/rustlib/src/rust/library ] || need_apt+=(rust-web-src)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-toolchain: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  need_apt=()
fi

# sbpf-linker must load the LLVM rustc emits bitcode for: same major version.
llvm_major=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
case "$llvm_major" in
  21|22|23) linker_version=0.2.6 ;;
  *)
    echo "install-toolchain: Debian's rustc uses LLVM $llvm_major; sbpf-linker 0.2.6 builds" >&2
    echo "  against LLVM 21-23 only (bpf-linker's llvm-NN features). Pick the sbpf-linker release" >&2
    echo "  whose bpf-linker supports LLVM $llvm_major and extend scripts/install-toolchain.sh." >&2
    exit 1 ;;
esac
prefix="${ARKNET_TOOLS:-$HOME/.cache/arknet}/sbpf-linker-$linker_version"
linker="$prefix/bin/sbpf-linker"
print_dir() { [ "${1:-}" = --print-linker-dir ] && echo "$prefix/bin"; return 0; }

# `sbpf-linker --version` prints "sbpf-linker <version>" then the LLVM it loaded.
linker_info() { "$linker" --version 2>/dev/null || true; }
if [ -x "$linker" ] && grep -qx "sbpf-linker $linker_version" <<<"$(linker_info)" \
   && grep -q "^LLVM $llvm_major\." <<<"$(linker_info)"; then
  print_dir "${1:-}"
  exit 0
fi

# Building sbpf-linker: llvm-config and libLLVM, a C toolchain, zlib and zstd to link them.
[ -x "/usr/lib/llvm-$llvm_major/bin/llvm-config" ] || need_apt+=("llvm-$llvm_major-dev")
for pkg in build-essential pkg-config zlib1g-dev libzstd-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-toolchain: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "install-toolchain: building sbpf-linker $linker_version against LLVM $llvm_major into $prefix (a few minutes)" >&2
# llvm-sys finds llvm-config through LLVM_SYS_<major>1_PREFIX; Debian keeps libLLVM.so
# under /usr/lib/llvm-NN/lib, which is not on the default linker or loader path.
export "LLVM_SYS_${llvm_major}1_PREFIX=/usr/lib/llvm-$llvm_major"
RUSTFLAGS="-L native=/usr/lib/llvm-$llvm_major/lib -C link-arg=-Wl,-rpath,/usr/lib/llvm-$llvm_major/lib" \
  cargo install sbpf-linker --version "$linker_version" --locked --force --root "$prefix" \
    --no-default-features --features "bpf-linker/llvm-$llvm_major" >&2

if ! grep -q "^LLVM $llvm_major\." <<<"$(linker_info)"; then
  echo "install-toolchain: $linker does not run against LLVM $llvm_major:" >&2
  ldd "$linker" >&2
  exit 1
fi
echo "install-toolchain: ok ($(head -1 <<<"$(linker_info)"), LLVM $llvm_major)" >&2
print_dir "${1:-}"
