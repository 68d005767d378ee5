// The `dialbook` binary: everything lives in the library; this only hands over argv.
#include "cli/cli.h"

int main(int argc, char** argv) { return dialbook::cli::Main(argc, argv); }
