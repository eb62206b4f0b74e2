#!/usr/bin/env bash
# Sets everything up, then runs every test: the C++ suite (release build, and again under
# AddressSanitizer + UndefinedBehaviorSanitizer), the readers' fuzz targets (tests/fuzz) and the Python suite (API, CLI, notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
echo "== C++ tests (release)"
cmake -S . -B build/tests -G Ninja -DCMAKE_BUILD_TYPE=Release -DROADSAFE_BUILD_TESTS=ON -DROADSAFE_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build/tests -j "$jobs"
ctest --test-dir build/tests --output-on-failure -j "$jobs"

echo "== C++ tests (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROADSAFE_BUILD_TESTS=ON -DROADSAFE_SANITIZE=ON >/dev/null
cmake --build build/sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build/sanitize --output-on-failure -j "$jobs"

echo "== Fuzzing the readers (libFuzzer, ASan + UBSan): each target over its corpus, then 30 s from a fixed seed"
bash tests/fuzz/run.sh 30

echo "== Types: stubs of the compiled module (mypy stubtest), then the package against them (mypy)"
.venv/bin/python -m mypy.stubtest roadsafe._engine --allowlist bindings/stubtest-allowlist.txt --mypy-config-file pyproject.toml
.venv/bin/python -m mypy bindings/roadsafe --config-file pyproject.toml

echo "== Python tests"
.venv/bin/python -m pytest -q tests/python
