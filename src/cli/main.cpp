#include "cli/cli.hpp"

int main(int argc, char** argv) { return convprobe::cli::run_cli(argc, argv); }
