#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "cli/cli.hpp"
#include "core/shell_quote.hpp"
#include "exec/executor.hpp"
#include "store/results_db.hpp"

namespace convprobe::cli {

namespace {

constexpr const char* kFooter =
    R"(Exit codes: 0 ok; 1 runtime failure or a check that did not pass; 2 bad usage or input.

A first session:
  convprobe selftest                                  # prove hang/crash handling works on this machine
  convprobe devices                                   # which backends and devices are usable
  convprobe presets                                   # problem sets, e.g. gfx1010-quick, resnet50
  convprobe sweep --preset gfx1010-quick -b onednn    # every candidate on every problem, verified and timed
  convprobe capture -o convs.txt -- python3 train.py  # the convolutions your program runs, with counts
  convprobe sweep --problems convs.txt -b cudnn       # ... probed (or: sweep --model model.onnx)
  convprobe results --verdict HANG,CRASH              # what went wrong, from the results database
Run `convprobe COMMAND --help` for each command's options.)";

}  // namespace

int run_cli(int argc, char** argv) {
  CliState state;
  for (int i = 0; i < argc; ++i) state.command_line += (i ? " " : "") + shell_quote(argv[i]);

  CLI::App app{
      "convprobe: find out which convolution algorithms really work on this GPU or CPU,\n"
      "and write the configuration that makes frameworks use only those.",
      "convprobe"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("convprobe ") + CONVPROBE_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);

  add_devices_command(app, state);
  add_presets_command(app, state);
  add_capture_command(app, state);
  add_import_command(app, state);
  add_candidates_command(app, state);
  add_run_command(app, state);
  add_sweep_command(app, state);
  add_worker_command(app, state);
  add_selftest_command(app, state);
  add_results_command(app, state);
  add_bisect_command(app, state);
  add_policy_command(app, state);
  add_verify_command(app, state);
  add_compare_command(app, state);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const Interrupted& e) {
    fmt::print(stderr, "convprobe: {} (finished trials are stored; repeat with --resume)\n", e.what());
    return 128 + e.signal_number();
  } catch (const UsageError& e) {
    fmt::print(stderr, "convprobe: error: {}\n", e.what());
    return kExitUsage;
  } catch (const DbLocationError& e) {
    // A database named where there is none (or a folder that is not there) is bad input, like a bad option.
    fmt::print(stderr, "convprobe: error: {}\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "convprobe: error: {}\n", e.what());
    return kExitFailure;
  }
  return state.exit_code;
}

}  // namespace convprobe::cli
