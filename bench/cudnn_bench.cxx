// cuDNN benchmark driver (in-process, no supervisor): sweeps a preset through the cudnn backend, writes one
// JSON line per trial, and re-times each problem's fastest passing candidate independently (P5: N
// back-to-back launches between two CUDA events, no rotation, no batching logic shared with the backend's
// timer). Built from src/backends/cudnn/CMakeLists.txt (it links the plugin's code, not the plugin).
//
//   cudnn_bench --preset resnet50 --batch 32 --types f32,tf32,bf16 --layouts nchw,nhwc --json out.jsonl
#include <cuda_runtime_api.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "conv_graph.hpp"
#include "cudnn_backend.hpp"
#include "legacy_conv.hpp"
#include "problem/presets.hpp"

namespace {

using namespace convprobe;
using nlohmann::json;

class QuietContext final : public TrialContext {
 public:
  void enter_phase(Phase, double) override {}
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

json problem_json(const Problem& p) {
  return {{"desc", to_string(p)},
          {"dir", to_string(p.dir)},
          {"type", to_string(p.type)},
          {"layout", to_string(p.layout)},
          {"g", p.g},
          {"mb", p.mb},
          {"ic", p.ic},
          {"oc", p.oc},
          {"in", p.in},
          {"kernel", p.kernel},
          {"stride", p.stride},
          {"pad", p.pad_begin},
          {"pad_end", p.pad_end},
          {"dilation", p.dilation},
          {"flops", p.flops()}};
}

struct Independent {
  double back_to_back_ms = 0;  ///< n launches between two events
  double graph_ms = 0;  ///< n launches captured in a CUDA graph, median of 5 replays; 0 if not capturable
};

// Independent timing of one candidate: its own handle, stream, buffers and runner, no rotation.
Independent independent_ms(cudnnHandle_t h, const Problem& p, const Candidate& c, int n) {
  using namespace convprobe::cudnn;
  cudaStream_t stream = nullptr;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  cudnnSetStream(h, stream);
  std::unique_ptr<ConvRunner> r =
      c.attrs.at("api") == "legacy"
          ? make_legacy_runner(h, p, c)
          : make_engine_runner(h, p, std::stoll(c.attrs.at("engine")), knobs_from_attr(c.attrs.at("knobs")));
  const size_t eb = p.type == DataType::f16 || p.type == DataType::bf16 ? 2 : 4;
  void *x = nullptr, *w = nullptr, *y = nullptr, *ws = nullptr;
  cudaMalloc(&x, p.src_elems() * eb);
  cudaMalloc(&w, p.wei_elems() * eb);
  cudaMalloc(&y, p.dst_elems() * eb);
  cudaMalloc(&ws, std::max<size_t>(r->workspace_bytes(), 1));
  cudaMemset(x, 0x3c, p.src_elems() * eb);  // small non-zero values in every storage type
  cudaMemset(w, 0x3c, p.wei_elems() * eb);
  cudaMemset(y, 0x3c, p.dst_elems() * eb);
  r->bind({x, w, y}, ws);
  for (int i = 0; i < 3; ++i) r->launch();
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  auto elapsed = [&] {
    cudaEventSynchronize(b);
    float ms = 0;
    cudaEventElapsedTime(&ms, a, b);
    return static_cast<double>(ms) / n;
  };
  Independent out;
  cudaEventRecord(a, stream);
  for (int i = 0; i < n; ++i) r->launch();
  cudaEventRecord(b, stream);
  out.back_to_back_ms = elapsed();
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  bool captured = cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) == cudaSuccess;
  for (int i = 0; captured && i < n; ++i) captured = r->launch() == CUDNN_STATUS_SUCCESS;
  captured = cudaStreamEndCapture(stream, &graph) == cudaSuccess && captured;
  if (captured && cudaGraphInstantiate(&exec, graph, 0) == cudaSuccess) {
    cudaGraphLaunch(exec, stream);
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
      cudaEventRecord(a, stream);
      cudaGraphLaunch(exec, stream);
      cudaEventRecord(b, stream);
      t.push_back(elapsed());
    }
    std::sort(t.begin(), t.end());
    out.graph_ms = t[2];
  }
  cudaGetLastError();
  if (exec != nullptr) cudaGraphExecDestroy(exec);
  if (graph != nullptr) cudaGraphDestroy(graph);
  cudaStreamSynchronize(stream);
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  for (void* ptr : {x, w, y, ws}) cudaFree(ptr);
  cudnnSetStream(h, nullptr);
  cudaStreamDestroy(stream);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cuDNN sweep benchmark (in-process)"};
  std::string preset = "resnet50", types = "f32", layouts = "nchw", dirs = "fwd", json_path, math = "both";
  int64_t batch = -1;
  int limit = 0, knob_samples = 4, repeats = 10, warmup = 2, p5_launches = 50;
  double max_seconds = 0;
  bool independent = true;
  app.add_option("--preset", preset);
  app.add_option("--batch", batch);
  app.add_option("--types", types, "comma list of f32,tf32,f16,bf16");
  app.add_option("--layouts", layouts, "comma list of nchw,nhwc");
  app.add_option("--dirs", dirs, "comma list of fwd,bwd_data,bwd_weights");
  app.add_option("--math", math);
  app.add_option("--limit", limit, "first N problems of the preset (0: all)");
  app.add_option("--knob-samples", knob_samples);
  app.add_option("--repeats", repeats);
  app.add_option("--warmup", warmup);
  app.add_option("--p5-launches", p5_launches);
  app.add_option("--max-seconds", max_seconds, "stop starting problems after this long (0: no limit)");
  app.add_flag("!--no-independent", independent, "skip the independent re-timing of each best candidate");
  app.add_option("--json", json_path, "JSON lines: one per trial, one summary per problem");
  CLI11_PARSE(app, argc, argv);

  Preset set;
  std::string err;
  if (!find_preset(preset, batch, &set, &err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  std::vector<Problem> problems;
  for (size_t i = 0; i < set.problems.size() && (limit <= 0 || static_cast<int>(i) < limit); ++i) {
    for (const std::string& d : split(dirs)) {
      for (const std::string& t : split(types)) {
        for (const std::string& l : split(layouts)) {
          Problem p = set.problems[i];
          p.dir = d == "fwd"        ? Direction::fwd
                  : d == "bwd_data" ? Direction::bwd_data
                                    : Direction::bwd_weights;
          p.type = t == "f32"    ? DataType::f32
                   : t == "tf32" ? DataType::tf32
                   : t == "f16"  ? DataType::f16
                                 : DataType::bf16;
          p.layout = l == "nhwc" ? Layout::nhwc : Layout::nchw;
          problems.push_back(p);
        }
      }
    }
  }

  cudnn::CudnnBackend backend;
  const BackendInfo info = backend.info();
  if (!info.available) {
    std::fprintf(stderr, "cudnn unavailable: %s\n", info.reason.c_str());
    return 3;
  }
  std::ofstream out;
  if (!json_path.empty()) out.open(json_path);
  std::printf("# %s, %s; %s\n", info.version.c_str(), info.devices[0].name.c_str(),
              info.devices[0].details.c_str());
  std::printf("%-48s %6s %9s %9s %9s %9s  %s\n", "problem", "cands", "best_ms", "b2b_ms", "graph_ms",
              "b2b/rep", "best candidate");
  QuietContext ctx;
  cudnnHandle_t own_handle = nullptr;  // the independent timer's own handle, on the default stream
  const auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  double kernel_ms = 0;
  int trials = 0;
  std::map<std::string, int> verdicts;
  for (const Problem& p : problems) {
    if (max_seconds > 0 && seconds() > max_seconds) {
      std::printf("# stopped after %.0f s (--max-seconds)\n", seconds());
      break;
    }
    TrialOptions o;
    o.backend_options = {{"math", math}, {"knob_samples", std::to_string(knob_samples)}};
    o.repeats = repeats;
    o.warmup = warmup;
    std::vector<Candidate> cands;
    try {
      cands = backend.candidates(p, o);
    } catch (const std::exception& e) {
      std::printf("%-48s candidates failed: %s\n", to_short_string(p).c_str(), e.what());
      continue;
    }
    const Candidate* best = nullptr;
    double best_ms = 0;
    const auto problem_start = std::chrono::steady_clock::now();
    for (const Candidate& c : cands) {
      o.best_so_far_ms = best_ms;
      const TrialResult r = backend.run_trial(p, c, o, ctx);
      ++trials;
      ++verdicts[std::string(to_string(r.verdict))];
      json line = {{"kind", "trial"},      {"problem", to_string(p)},
                   {"candidate", c.id},    {"family", c.family},
                   {"notes", c.notes},     {"verdict", to_string(r.verdict)},
                   {"detail", r.detail},   {"workspace", r.workspace_bytes},
                   {"rel_err", r.rel_err}, {"wall_ms", r.wall_ms}};
      if (r.time) {
        line["median_ms"] = r.time->median_ms;
        line["repeats"] = r.time->repeats;
        line["launches"] = r.time->launches;
        kernel_ms += r.time->median_ms * static_cast<double>(r.time->launches);
      }
      if (out) out << line.dump() << "\n";
      if (r.verdict == Verdict::pass && r.time && (best == nullptr || r.time->median_ms < best_ms)) {
        best = &c;
        best_ms = r.time->median_ms;
      }
    }
    const double problem_wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - problem_start).count();
    Independent ind;
    if (best != nullptr && independent) {
      try {
        if (own_handle == nullptr) cudnnCreate(&own_handle);  // after the backend selected the device
        ind = independent_ms(own_handle, p, *best, p5_launches);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "independent timing of %s failed: %s\n", best->id.c_str(), e.what());
      }
    }
    const double indep = ind.graph_ms > 0 ? ind.graph_ms : ind.back_to_back_ms;
    std::printf("%-48s %6zu %9.4f %9.4f %9.4f %9.3f  %s\n", to_short_string(p).c_str(), cands.size(), best_ms,
                ind.back_to_back_ms, ind.graph_ms, best_ms > 0 ? ind.back_to_back_ms / best_ms : 0.0,
                best != nullptr ? best->id.c_str() : "-");
    std::fflush(stdout);
    if (out) {
      out << json{{"kind", "problem"},
                  {"problem", problem_json(p)},
                  {"label", p.label},
                  {"candidates", cands.size()},
                  {"best", best != nullptr ? best->id : ""},
                  {"best_ms", best_ms},
                  {"independent_ms", indep},
                  {"independent_b2b_ms", ind.back_to_back_ms},
                  {"independent_graph_ms", ind.graph_ms},
                  {"wall_s", problem_wall}}
                 .dump()
          << "\n";
    }
  }
  const double wall = seconds();
  std::printf("# %d trials in %.1f s; candidate kernel time (median x launches) %.1f s; wall/kernel %.2f\n",
              trials, wall, kernel_ms / 1000, kernel_ms > 0 ? wall / (kernel_ms / 1000) : 0.0);
  std::printf("# verdicts:");
  for (const auto& [v, n] : verdicts) std::printf(" %s %d", v.c_str(), n);
  std::printf("\n");
  return 0;
}
