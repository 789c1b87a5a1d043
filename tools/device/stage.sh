#!/usr/bin/env bash
# Stages the prebuilt GPU binaries for the device machine, which has CUDA (cudart, cuBLAS, NCCL) but
# maybe none of our other build dependencies: copies folio_gpu, bench_gpu_kernels, bench_gpu_model and
# the CUDA plugin libfolio_cuda.so from a CUDA-enabled build into build/device-bin/ (stripped), with
# every shared library they load that is neither glibc nor a CUDA library into build/device-bin/lib/.
# tools/device/check.sh runs them.
#   tools/device/stage.sh [BUILD_DIR]   (default: the first of build/cuda, build/release with folio_gpu)
set -euo pipefail
cd "$(dirname "$0")/../.."

build="${1:-}"
if [[ -z "$build" ]]; then
  for candidate in build/cuda build/release; do
    if [[ -x "$candidate/tests/folio_gpu" ]]; then build="$candidate"; break; fi
  done
fi
if [[ -z "$build" || ! -x "$build/tests/folio_gpu" ]]; then
  echo "stage.sh: no folio_gpu under ${build:-build/cuda or build/release}; configure with CUDA and build the" >&2
  echo "          targets folio_gpu bench_gpu_model folio_cuda (and bench_gpu_kernels), or name the build dir" >&2
  exit 2
fi

dest=build/device-bin
rm -rf "$dest"
mkdir -p "$dest/lib"
staged=()
for name in folio_gpu bench_gpu_kernels bench_gpu_model; do
  bin="$(find "$build/tests" -maxdepth 3 -type f -name "$name" -perm -u+x | head -n 1)"
  if [[ -z "$bin" ]]; then
    echo "stage.sh: $name not built in $build (skipped)"
    continue
  fi
  cp "$bin" "$dest/$name"
  strip --strip-unneeded "$dest/$name" 2>/dev/null || true
  staged+=("$dest/$name")
done

# the CUDA backend plugin that Session::create loads (engine/model/cuda_plugin.h looks beside the binary)
plugin="$build/lib/libfolio_cuda.so"
if [[ -f "$plugin" ]]; then
  cp "$plugin" "$dest/libfolio_cuda.so"
  strip --strip-unneeded "$dest/libfolio_cuda.so" 2>/dev/null || true
  staged+=("$dest/libfolio_cuda.so")
else
  echo "stage.sh: $plugin not built (the tests that open sessions through Session::create will refuse CUDA)"
fi

# libraries the device image may lack: everything resolved outside glibc and the CUDA toolkit
for bin in "${staged[@]}"; do
  ldd "$bin" | awk '/=> \// { print $3 }'
done | sort -u | while read -r lib; do
  base="$(basename "$lib")"
  case "$base" in
    libc.so*|libm.so*|libdl.so*|librt.so*|libpthread.so*|ld-linux*|libresolv.so*) continue ;;
    libcuda.so*|libcudart*|libcublas*|libnccl*|libnvidia*|libnvrtc*|libnvJitLink*) continue ;;
  esac
  cp -L "$lib" "$dest/lib/$base"
done

echo "staged into $dest:"
du -sh "$dest"/* "$dest"/lib/* 2>/dev/null | sed 's/^/  /'
du -sh "$dest" | awk '{ print "total " $1 " (the device tool carries at most 64 MiB with the tree)" }'
