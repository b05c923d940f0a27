// Fixed trial lists for the emitter tests, one per format, each telling a small story (see the comments).
#pragma once

#include <stdexcept>
#include <string>

#include "policy/emitters.hpp"
#include "policy_fixtures.hpp"

namespace convprobe::test {

using EmitFn = EmitResult (*)(const EmitInput&);

/// The emit step (decide, then render) of the table row `name`: tests reach a format as `policy --emit` does.
inline EmitFn emitter_of(std::string_view name) {
  const Emitter* e = find_emitter(name);
  if (!e) throw std::logic_error("no emitter row " + std::string(name));
  return e->emit;
}

/// The gfx1010 report in small: GEMM hangs above 42x42 (GEMM solvers have no switch of their own), one direct
/// solver fails (it has one), FFT's only solver fails, implicit GEMM passes everywhere.
inline std::vector<StoredTrial> miopen_trials() {
  const std::string small = "mb1ic3ih32oc64kh3ph1", big = "mb1ic3ih44oc64kh3ph1";
  auto s = [](int id, const std::string& name) {
    return std::map<std::string, std::string>{{"solver_id", std::to_string(id)}, {"solver_name", name}};
  };
  return make_trials(
      "miopen",
      {{small, "miopen.91.GemmFwdRest", "gemm", Verdict::pass, 1.0, "", s(91, "GemmFwdRest")},
       {big, "miopen.91.GemmFwdRest", "gemm", Verdict::hang, 0, "watchdog: phase run", s(91, "GemmFwdRest")},
       {small, "miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", "implicit_gemm", Verdict::pass, 0.8,
        "", s(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC")},
       {big, "miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", "implicit_gemm", Verdict::pass, 1.2, "",
        s(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC")},
       {small, "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 3.0, "",
        s(85, "ConvDirectNaiveConvFwd")},
       {big, "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::failed, 0, "miopenStatusUnknownError",
        s(85, "ConvDirectNaiveConvFwd")},
       {small, "miopen.11.ConvOclDirectFwd", "direct", Verdict::pass, 2.0, "", s(11, "ConvOclDirectFwd")},
       {big, "miopen.11.ConvOclDirectFwd", "direct", Verdict::pass, 2.5, "", s(11, "ConvOclDirectFwd")},
       {small, "miopen.53.ConvBinWinoRxS<2-3>", "winograd", Verdict::unsupported, 0, "",
        s(53, "ConvBinWinoRxS<2-3>")},
       {small, "miopen.34.fft", "fft", Verdict::pass, 4.0, "", s(34, "fft")},
       {big, "miopen.34.fft", "fft", Verdict::mismatch, 0, "rel_err 0.5 > 1e-5", s(34, "fft")}});
}

/// cuDNN: an engine config that hangs, a knob-less engine that fails, a legacy algorithm (not expressible in
/// errata), a config that is always slow (for --block-slower 1.2), and the winner.
inline std::vector<StoredTrial> cudnn_trials() {
  const std::string p1 = "mb32ic64ih56oc64kh3ph1", p2 = "mb32ic128ih28oc128kh3ph1";
  return make_trials("cudnn",
                     {{p1, "ConvFwd_eng67_k2=5_k13=0", "engine", Verdict::hang, 0, "phase run"},
                      {p1, "ConvFwd_eng0", "engine", Verdict::failed, 0, "CUDNN_STATUS_EXECUTION_FAILED"},
                      {p1, "legacy.fwd.IMPLICIT_GEMM", "legacy", Verdict::mismatch, 0, "rel_err 1"},
                      {p1, "ConvFwd_eng38_k2=1_k13=0", "engine", Verdict::pass, 2.0},
                      {p2, "ConvFwd_eng38_k2=1_k13=0", "engine", Verdict::pass, 1.5},
                      {p1, "ConvFwd_eng1", "engine", Verdict::pass, 1.0},
                      {p2, "ConvFwd_eng1", "engine", Verdict::pass, 1.0},
                      {p2, "ConvBwdData_eng58_k2=4_k5=2_k14=3", "engine", Verdict::crash, 0, "SIGSEGV"}});
}

/// oneDNN: AVX-512 kernels fail, AVX2 and the reference pass, a gemm implementation fails (not ISA-specific).
inline std::vector<StoredTrial> onednn_trials() {
  const std::string p = "mb2ic16ih14oc16kh3ph1";
  return make_trials("onednn",
                     {{p, "direct:jit:avx512_core", "direct", Verdict::hang, 0, "phase run"},
                      {p, "winograd:jit_wino_4x3:avx512_core", "winograd", Verdict::mismatch, 0, "rel_err 1"},
                      {p, "direct:jit:avx2", "direct", Verdict::pass, 1.0},
                      {p, "direct:x64:gemm:jit", "gemm", Verdict::failed, 0, "status 5"},
                      {p, "direct:ref:any", "reference", Verdict::pass, 30.0}});
}

/// fault: the gfx1010 hang over a few sizes.
inline std::vector<StoredTrial> fault_trials() {
  return make_trials("fault", {{"mb1ic3ih42oc64kh3ph1", "fault.hang@hw>42", "fault", Verdict::pass, 0.4},
                               {"mb1ic3ih42oc64kh3ph1", "fault.ok", "fault", Verdict::pass, 0.5},
                               {"mb1ic3ih44oc64kh3ph1", "fault.hang@hw>42", "fault", Verdict::hang, 0,
                                "watchdog fired in phase run"},
                               {"mb1ic3ih44oc64kh3ph1", "fault.ok", "fault", Verdict::pass, 0.6}});
}

}  // namespace convprobe::test
