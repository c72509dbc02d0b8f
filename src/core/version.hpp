#pragma once
// neurite's version, for --version and the result files: the project's (CMakeLists.txt), with the
// git commit of the source when it was configured from a git checkout, e.g. "0.1.0 (git 76c4734fc34d)".
#include <string_view>

namespace neurite::core {

std::string_view version();
// The project's version alone ("0.1.0"): what checkpoints must agree on to be read.
std::string_view release();

}  // namespace neurite::core
