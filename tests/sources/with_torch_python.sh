#!/bin/sh
# Runs a Python test (ARGS...) with the first interpreter that imports torch: $CONVPROBE_TEST_PYTHON, then
# python3, then /usr/bin/python3 (a pyenv or venv python3 may lack torch where Debian's has it). When none
# does, exits 77, which tests/CMakeLists.txt declares as ctest's SKIP_RETURN_CODE, and says why.
tried=""
for py in "${CONVPROBE_TEST_PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$py" ] || continue
  if "$py" -c 'import torch' >/dev/null 2>&1; then
    exec "$py" "$@"
  fi
  tried="$tried $py"
done
echo "SKIP: no Python interpreter here imports torch (tried:$tried); set CONVPROBE_TEST_PYTHON" >&2
exit 77
