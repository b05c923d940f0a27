#include "backends/onednn/onednn_kernel.hpp"

#include <array>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/onednn/onednn_candidates.hpp"
#include "backends/onednn/onednn_desc.hpp"
#include "core/workspace_limit.hpp"

namespace convprobe::onednn {

namespace {

constexpr std::array<TensorRole, 3> kRoles{TensorRole::src, TensorRole::wei, TensorRole::dst};
constexpr size_t slot(TensorRole r) { return static_cast<size_t>(r); }

/// The implementation's copy of the three tensors, in the formats it chose.
struct BufferSet {
  std::array<dnnl::memory, 3> mem;
};

struct KernelState {
  Direction dir = Direction::fwd;
  TensorRole out = TensorRole::dst;
  std::unique_ptr<ImplList> impls;  ///< owns what the primitive descriptor points to
  dnnl::engine engine;
  dnnl::stream stream;
  dnnl::primitive conv;
  dnnl::memory scratchpad;  ///< empty when the implementation needs none
  std::array<dnnl::memory::desc, 3> user;
  std::array<dnnl::primitive, 3> to_impl;  ///< reorder plain -> implementation format, per role
  dnnl::primitive to_user;                 ///< reorder implementation output -> plain
  std::vector<BufferSet> sets;
  HostTensor poison;  ///< output-shaped, poisoned: copied into every set's output by load()
  size_t last_set = 0;

  dnnl::memory wrap(TensorRole r, const void* data) const {
    // oneDNN's handles are non-const; the reorders that get a wrapped input only read it.
    return dnnl::memory(user[slot(r)], engine, const_cast<void*>(data));
  }

  void load(const ConvTensors& t) {
    for (TensorRole r : kRoles) {
      const dnnl::memory from = wrap(r, r == out ? poison.data() : t.get(r).data());
      for (BufferSet& set : sets) {
        to_impl[slot(r)].execute(stream, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, set.mem[slot(r)]}});
      }
    }
    stream.wait();
  }

  void run(int iteration) {
    const auto n = static_cast<int>(sets.size());
    const auto which = static_cast<size_t>(((iteration % n) + n) % n);
    std::unordered_map<int, dnnl::memory> args;
    for (TensorRole r : kRoles) args.emplace(arg_of(dir, r), sets[which].mem[slot(r)]);
    if (scratchpad) args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad);
    conv.execute(stream, args);
    stream.wait();
    last_set = which;
  }

  void store(ConvTensors& t) {
    const dnnl::memory dst = wrap(out, t.get(out).data());
    to_user.execute(stream, {{DNNL_ARG_FROM, sets[last_set].mem[slot(out)]}, {DNNL_ARG_TO, dst}});
    stream.wait();
  }
};

dnnl::primitive make_reorder(const dnnl::engine& engine, const dnnl::memory::desc& from,
                             const dnnl::memory::desc& to) {
  return dnnl::reorder(dnnl::reorder::primitive_desc(engine, from, engine, to));
}

/// Runs f, turning oneDNN's exceptions into the trial's verdict.
template <class F>
auto guarded(const char* step, F&& f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    throw to_trial_error(e, step);
  }
}

std::shared_ptr<KernelState> build(const Problem& p, const Candidate& c, const TrialOptions& options,
                                   const dnnl::engine& engine, const dnnl::stream& stream) {
  ImplRef ref;
  std::string err;
  if (!from_candidate(c, &ref, &err)) throw TrialError(Verdict::failed, err);
  if (!dnnl_type(p.type)) throw TrialError(Verdict::unsupported, kNoTf32);
  std::unique_ptr<ImplList> list = select_impl(p, ref, engine);
  if (!list) {
    throw TrialError(Verdict::unsupported, "oneDNN no longer offers '" + ref.impl + "' (algorithm " +
                                               std::string(to_string(ref.algo)) + ") for this problem");
  }
  const auto scratch_bytes = static_cast<int64_t>(list->pd().scratchpad_desc().get_size());
  // Checked here, before the scratchpad is allocated (the runner checks again once setup returns).
  check_workspace(scratch_bytes, WorkspaceLimits{options.max_workspace_bytes, host_memory_bytes()});

  const dnnl::primitive_desc& pd = list->pd();

  auto s = std::make_shared<KernelState>();
  s->impls = std::move(list);  // the pd points into it (see ImplList)
  s->dir = p.dir;
  s->out = output_role(p.dir);
  s->engine = engine;
  s->stream = stream;
  s->conv = dnnl::primitive(pd);  // JIT compilation happens here
  if (scratch_bytes > 0) s->scratchpad = dnnl::memory(pd.scratchpad_desc(), engine);

  std::array<dnnl::memory::desc, 3> impl;
  int64_t set_bytes = 0;
  for (TensorRole r : kRoles) {
    s->user[slot(r)] = user_md(p, r);
    impl[slot(r)] = impl_md(pd, p.dir, r);
    s->to_impl[slot(r)] = make_reorder(engine, s->user[slot(r)], impl[slot(r)]);
    set_bytes += static_cast<int64_t>(impl[slot(r)].get_size());
  }
  s->to_user = make_reorder(engine, impl[slot(s->out)], s->user[slot(s->out)]);

  const int n_sets = set_bytes < kRotateBelowBytes ? kRotatingSets : 1;
  s->sets.resize(n_sets);
  for (BufferSet& set : s->sets) {
    for (TensorRole r : kRoles) set.mem[slot(r)] = dnnl::memory(impl[slot(r)], engine);
  }
  s->poison = HostTensor(p.type, dims_of(p, s->out));
  s->poison.poison();
  return s;
}

}  // namespace

TrialError to_trial_error(const dnnl::error& e, const char* step) {
  Verdict v = Verdict::failed;
  if (e.status == dnnl_unimplemented) v = Verdict::unsupported;
  if (e.status == dnnl_out_of_memory) v = Verdict::oom;
  return {v, std::string(step) + ": oneDNN " + status_name(e.status) + ": " + e.what()};
}

HostKernel make_kernel(const Problem& p, const Candidate& c, const TrialOptions& options,
                       const dnnl::engine& engine, const dnnl::stream& stream) {
  std::shared_ptr<KernelState> s = guarded("setup", [&] { return build(p, c, options, engine, stream); });
  HostKernel k;
  k.workspace_bytes = s->scratchpad ? static_cast<int64_t>(s->scratchpad.get_desc().get_size()) : 0;
  k.load = [s](const ConvTensors& t) { guarded("load", [&] { s->load(t); }); };
  k.run = [s](int iteration) {
    guarded("run", [&] { s->run(iteration); });
    return -1.0;  // the runner times it with its steady clock
  };
  k.store = [s](ConvTensors& t) { guarded("store", [&] { s->store(t); }); };
  return k;
}

}  // namespace convprobe::onednn
