#pragma once
// Every inspect verb's output (inspect_command.cpp), as docker prints it.

#include <string>
#include <vector>

namespace berth::cli {

// The objects' JSON as one array (with `format` "" or "json"), else one line per object
// from docker's Go template `format` (berth/go_template.h); a template that does not parse
// or apply is exit 1 (CliError).
void printInspected(const std::vector<std::string>& objects, const std::string& format);

} // namespace berth::cli
