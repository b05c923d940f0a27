// `convprobe sweep (--preset NAME | --problems FILE | --model FILE) -b BACKEND`: the main job.
#include <fmt/core.h>

#include "cli/trial_cli.hpp"

namespace convprobe::cli {

void add_sweep_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand("sweep", "Run every candidate of a backend over a set of problems");
  cmd->footer(R"(Each trial runs in a watched worker process: a hang becomes a HANG verdict after the watchdog
deadline, a crash becomes CRASH, and the sweep goes on. Every finished trial is committed to the results
database at once; after an interruption, repeat the command with --resume.
Examples:
  convprobe sweep --preset gfx1010-quick -b onednn
  convprobe sweep --preset resnet50 --batch 8 -b cudnn --devices all --json results.json
  convprobe sweep --preset gfx1010-quick -b onednn --csv trials.csv
  convprobe sweep --problems my_layers.txt -b miopen --db runs.db --resume
  convprobe sweep --model model.onnx --batch 32 -b cudnn)");
  struct Args {
    std::string preset;
    std::string problems_file;
    std::vector<std::string> models;
    int64_t batch = -1;
    TrialCliOptions opts;
  };
  auto args = std::make_shared<Args>();
  auto* preset = cmd->add_option("--preset", args->preset, "Problem set (see `convprobe presets`)");
  auto* file = cmd->add_option("--problems", args->problems_file,
                               "Problems file: one descriptor per line, # comments");
  auto* model =
      cmd->add_option("--model", args->models,
                      "A model or saved log, imported on the fly (formats: `convprobe import --help`); "
                      "repeatable, counts added up");
  preset->excludes(file);
  model->excludes(preset)->excludes(file);
  cmd->add_option("--batch", args->batch, "Override the batch size of every problem");
  add_trial_options(cmd, &args->opts);
  cmd->callback([args, &state] {
    validate_trial_options(args->opts);
    if (args->batch == 0 || args->batch < -1)
      throw UsageError(fmt::format("--batch {} must be positive", args->batch));
    auto problems = args->models.empty()
                        ? resolve_problems(args->preset, args->batch, args->problems_file, {})
                        : model_problems(args->models, args->batch);
    state.exit_code = run_sweep_command(problems, args->opts, state);
  });
}

}  // namespace convprobe::cli
