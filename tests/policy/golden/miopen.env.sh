# MIOpen policy written by convprobe from stored verdicts.
# backend: miopen MIOpen 3.2.0; runs: 1
# Source it from a POSIX shell (sh, bash, zsh); `convprobe verify --policy FILE` re-tests it.

# miopen.34.fft: mb1ic3ih44oc64kh3ph1 MISMATCH rel_err 0.5 > 1e-5 (run 1)
export MIOPEN_DEBUG_CONV_FFT=0
# miopen.91.GemmFwdRest: mb1ic3ih44oc64kh3ph1 HANG watchdog: phase run (run 1)
export MIOPEN_DEBUG_CONV_GEMM=0
# miopen.85.ConvDirectNaiveConvFwd: mb1ic3ih44oc64kh3ph1 FAILED miopenStatusUnknownError (run 1)
export MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0
# kept on: 2 passing trial(s) of 1 solver(s), e.g. miopen.11.ConvOclDirectFwd
export MIOPEN_DEBUG_CONV_DIRECT=1
# kept on: 2 passing trial(s) of 1 solver(s), e.g. miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC
export MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1
