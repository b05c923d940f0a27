# oneDNN policy written by convprobe from stored verdicts.
# backend: onednn oneDNN 2.6.3; runs: 1
# Source it from a POSIX shell (sh, bash, zsh); `convprobe verify --policy FILE` re-tests it.

# direct:jit:avx512_core: mb2ic16ih14oc16kh3ph1 HANG phase run (run 1)
# winograd:jit_wino_4x3:avx512_core: mb2ic16ih14oc16kh3ph1 MISMATCH rel_err 1 (run 1)
export ONEDNN_MAX_CPU_ISA=AVX2
