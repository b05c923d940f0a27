// What every source of problems yields (a program's MIOpen or cuDNN log, an ONNX model, a benchdnn batch
// file, the PyTorch recorder's output): each distinct problem once, in the order first seen, with how often
// the program ran it (Problem::runs) and where it was first seen (its label, unless the source named it);
// what the source held that convprobe does not probe, counted by kind (fusions, batch norms); records that
// claim to be a convolution convprobe cannot express, each naming its file and line or node; and warnings.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe::sources {

/// A record a source could not turn into a problem: where it is ("train.log:812", "model.onnx: node
/// 'conv1' (Conv)") and why, naming the field, value and what was expected.
struct Rejection {
  std::string where;
  std::string why;
};

class Tally {
 public:
  /// Count one sighting (or `runs` of them) of `p`. The first sighting of a problem keeps its place and, when
  /// `p` has no label, takes `origin` as its label; later ones only add to its runs.
  void add(Problem p, const std::string& origin, int64_t runs = 1);
  /// Count something the source held that is not a problem convprobe probes, e.g. "fusion (LogCmdFusion)".
  void skip(const std::string& kind, int64_t n = 1);
  void reject(std::string where, std::string why);
  void warn(std::string message);
  /// Everything of `other` added after this tally's own (problems seen in both add up).
  void merge(const Tally& other);

  [[nodiscard]] const std::vector<Problem>& problems() const { return problems_; }
  [[nodiscard]] const std::map<std::string, int64_t>& skipped() const { return skipped_; }
  [[nodiscard]] const std::vector<Rejection>& rejections() const { return rejections_; }
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
  /// Sum of every problem's runs.
  [[nodiscard]] int64_t total_runs() const;

 private:
  std::vector<Problem> problems_;
  std::unordered_map<std::string, size_t> index_;  ///< key(problem) -> position in problems_
  std::map<std::string, int64_t> skipped_;
  std::vector<Rejection> rejections_;
  std::vector<std::string> warnings_;
};

}  // namespace convprobe::sources
