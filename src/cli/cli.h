// The `dialbook` command line: one function per command group, each parses its flags
// with CLI11, calls the Service and prints the result. Returns the process exit code.
#pragma once

namespace dialbook::cli {

int Main(int argc, char** argv);

}  // namespace dialbook::cli
