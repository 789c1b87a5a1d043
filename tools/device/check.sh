#!/usr/bin/env bash
# The one script for the device machine (issue 5): GPU description, the gpu tests, the GPU benchmarks,
# full logs under $OUT and a summary table printed last. Run from the repository root there:
#   tools/device/check.sh
# Binaries come prebuilt from build/device-bin/ (tools/device/stage.sh, carried with the tree); without
# them it configures and builds the GPU targets with CUDA when the dependencies are present, and says
# what is missing when they are not. Files left in $OUT (at most 8, what the device tool brings back):
# nvidia-smi.txt, build.log, folio_gpu.log, bench_gpu_kernels.log, bench_gpu_model.log,
# triton_lightning.log, ncu.txt, summary.md.
# Step limits (seconds): FOLIO_CHECK_TEST_LIMIT (300), FOLIO_CHECK_BENCH_LIMIT (150), FOLIO_CHECK_MODEL_LIMIT (100).
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
OUT="${OUT:-$root/build/device-out}"
mkdir -p "$OUT"
export FOLIO_FIXTURES_DIR="$root/tests/fixtures"  # the binaries' compiled-in path may not exist here
start_all=$SECONDS
rows=()  # summary rows: "| step | status | seconds | detail |"
row() { rows+=("| $1 | $2 | $3 | $4 |"); }

# 1. the card
if nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1; then
  card="$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -n 1)"
  row "nvidia-smi" "ok" 0 "${card:-?}"
else
  row "nvidia-smi" "FAILED" 0 "see nvidia-smi.txt"
fi

# 2. the CUDA libraries (toolkit and pip nvidia-* wheels), searched rather than assumed
libdirs=()
for d in /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/*/lib /usr/lib/x86_64-linux-gnu; do
  [[ -d "$d" ]] && ls "$d"/libcublas.so* >/dev/null 2>&1 && libdirs+=("$d")
done
while IFS= read -r d; do libdirs+=("$d"); done < <(
  find /usr /opt /root -xdev -type d -path '*site-packages/nvidia/*/lib' -print 2>/dev/null | head -n 20)
[[ -d /usr/local/cuda/lib ]] && libdirs+=(/usr/local/cuda/lib)
bin=build/device-bin
joined="$(IFS=:; echo "${libdirs[*]:-}")"
export LD_LIBRARY_PATH="$root/$bin/lib:${joined}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# 3. binaries: staged, or built here
if [[ -x "$bin/folio_gpu" ]]; then
  row "binaries" "prebuilt" 0 "$bin ($(ls "$bin" | grep -v '^lib$' | tr '\n' ' '))"
else
  t0=$SECONDS
  missing=()
  for tool in cmake ninja nvcc; do command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/local/cuda/bin/$tool ]] || missing+=("$tool"); done
  export PATH="$PATH:/usr/local/cuda/bin"
  if ((${#missing[@]})); then
    row "build" "MISSING" 0 "no prebuilt $bin and no ${missing[*]} to build one"
  elif cmake -S . -B build/device -G Ninja -DCMAKE_BUILD_TYPE=Release -DFOLIO_CUDA=ON >"$OUT/build.log" 2>&1 &&
       cmake --build build/device --target folio_gpu bench_gpu_model folio_cuda >>"$OUT/build.log" 2>&1; then
    cmake --build build/device --target bench_gpu_kernels >>"$OUT/build.log" 2>&1 || true
    mkdir -p "$bin"
    for name in folio_gpu bench_gpu_kernels bench_gpu_model; do
      found="$(find build/device/tests -maxdepth 3 -type f -name "$name" -perm -u+x | head -n 1)"
      [[ -n "$found" ]] && cp "$found" "$bin/"
    done
    cp build/device/lib/libfolio_cuda.so "$bin/" 2>/dev/null || true  # found beside the binaries
    row "build" "ok" $((SECONDS - t0)) "configured and built here (build.log)"
  else
    what="$(grep -hoE "Could NOT find [A-Za-z0-9_]+|Package '[^']+'[^,]*not found|No package '[^']+' found|Could not find a package configuration file provided by \"[^\"]+\"" "$OUT/build.log" | sort -u | tr '\n' ';')"
    row "build" "FAILED" $((SECONDS - t0)) "missing: ${what:-see build.log}"
  fi
fi

# 4. the gpu tests
if [[ -x "$bin/folio_gpu" ]]; then
  t0=$SECONDS
  if ldd "$bin/folio_gpu" | grep -q "not found"; then
    row "folio_gpu" "LIBS" 0 "$(ldd "$bin/folio_gpu" | awk '/not found/ { print $1 }' | tr '\n' ' ')missing"
  else
    timeout "${FOLIO_CHECK_TEST_LIMIT:-300}" "$bin/folio_gpu" >"$OUT/folio_gpu.log" 2>&1
    rc=$?
    passed="$(grep -oE '\[  PASSED  \] [0-9]+' "$OUT/folio_gpu.log" | grep -oE '[0-9]+$')"
    failed="$(grep -cE '^\[  FAILED  \] [A-Za-z]' "$OUT/folio_gpu.log")"
    skipped="$(grep -oE '\[  SKIPPED \] [0-9]+ test' "$OUT/folio_gpu.log" | grep -oE '[0-9]+')"
    status=$([[ $rc -eq 0 ]] && echo ok || ([[ $rc -eq 124 ]] && echo TIMEOUT || echo FAILED))
    row "folio_gpu" "$status" $((SECONDS - t0)) "passed ${passed:-0}, failed $failed, skipped ${skipped:-0} (rc $rc)"
  fi
fi

# 5. the benchmarks
bench() {  # name timeout args...
  local name=$1 limit=$2
  shift 2
  if [[ ! -x "$bin/$name" ]]; then
    row "$name" "absent" 0 "not built"
    return
  fi
  local t0=$SECONDS
  timeout "$limit" "$bin/$name" "$@" >"$OUT/$name.log" 2>&1
  local rc=$?
  local status=$([[ $rc -eq 0 ]] && echo ok || ([[ $rc -eq 124 ]] && echo TIMEOUT || echo FAILED))
  row "$name" "$status" $((SECONDS - t0)) "$(grep -E '^\|' "$OUT/$name.log" | wc -l) table rows (rc $rc)"
}
bench bench_gpu_kernels "${FOLIO_CHECK_BENCH_LIMIT:-150}"
bench bench_gpu_model "${FOLIO_CHECK_MODEL_LIMIT:-100}"

# 5b. the published Triton lightning kernel side by side, when fetched into the ignored third_party_fetched/
if [[ -f third_party_fetched/lightning_attn2.py ]]; then
  t0=$SECONDS
  timeout 120 python3 tools/device/bench_triton_lightning.py >"$OUT/triton_lightning.log" 2>&1
  rc=$?
  row "triton baseline" "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" $((SECONDS - t0)) "triton_lightning.log (rc $rc)"
fi

# 5c. Nsight Compute profiles of the two kernels furthest from their bounds, when the machine has ncu
# (FOLIO_CHECK_PROFILE=0 skips them): one launch each, the full section set as text. The launch to skip
# to follows bench_gpu_kernels --quick's order: lightning prefill T=8K runs 3xTF32 (1 warm-up + 3) and
# then TF32 (its second launch is profiled), then the bf16 register-tile kernel (its second launch); softmax decode runs P=8K (3 warm-ups + 12, each form), then P=64K; the
# softmax prefill group runs the scalar form first, then tensor cores at T=4K (its second launch is profiled).
profile() {  # name group kernel_regex launches_to_skip: appended to ncu.txt
  local t0=$SECONDS
  echo "##### $1" >>"$OUT/ncu.txt"
  timeout "${FOLIO_CHECK_PROFILE_LIMIT:-120}" "$ncu" --kernel-name "regex:$3" --launch-skip "$4" --launch-count 1 \
    --set full "$bin/bench_gpu_kernels" --quick --only "$2" >>"$OUT/ncu.txt" 2>&1
  local rc=$?
  row "ncu $1" "$([[ $rc -eq 0 ]] && echo ok || echo FAILED)" $((SECONDS - t0)) "ncu.txt (rc $rc)"
}
ncu="$(command -v ncu || ls /usr/local/cuda*/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -n 1)"
if [[ "${FOLIO_CHECK_PROFILE:-1}" != 0 && -x "$bin/bench_gpu_kernels" ]]; then
  if [[ -n "$ncu" ]]; then
    profile lightning_prefill_tf32_8k lightning-prefill lightningPrefillTensorCoreKernel 5
    profile lightning_prefill_bf16_8k lightning-prefill lightningPrefillBf16Kernel 1
    profile softmax_decode_64k softmax-decode attentionDecodeKernel 17
    profile softmax_decode_tc_64k softmax-decode attentionDecodeMmaKernel 17
    profile softmax_prefill_tc_4k softmax-prefill attentionPrefillMmaKernel 1
  else
    row "ncu" "absent" 0 "no Nsight Compute on this machine"
  fi
fi

# 6. summary: accuracy lines and benchmark tables, then the step table last
{
  if [[ -s "$OUT/folio_gpu.log" ]]; then
    echo "### folio_gpu failures and accuracy lines"
    grep -E '^\[  FAILED  \]|^\[ gpu \]' "$OUT/folio_gpu.log" | tail -n 60
    echo
  fi
  if [[ -s "$OUT/ncu.txt" ]]; then  # the headline figures of each profile
    echo "### ncu"
    grep -E "^##### |Duration|Memory Throughput|Compute \(SM\) Throughput|Achieved Occupancy|Registers Per Thread|Warp Cycles Per Issued|Issue Slots Busy" "$OUT/ncu.txt" | head -n 36
    echo
  fi
  for name in bench_gpu_kernels bench_gpu_model triton_lightning; do
    [[ -s "$OUT/$name.log" ]] || continue
    echo "### $name"
    grep -E '^(\||#|copy|weights|synthetic)' "$OUT/$name.log" | tail -n 60
    echo
  done
  echo "## device check, $(date -u '+%Y-%m-%d %H:%M UTC'), $((SECONDS - start_all)) s"
  echo
  echo "| step | status | seconds | detail |"
  echo "|---|---|---:|---|"
  printf '%s\n' "${rows[@]}"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
