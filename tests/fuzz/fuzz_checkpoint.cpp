// libFuzzer harness: checkpoint files (io::read_checkpoint), and the state they hold restored into
// the network their model builds (io::restore_state). A damaged or crafted file must come out as
// io::checkpoint_error; its model, if it reads, as the reader's or the builder's documented errors.
// As given, inputs test the header check that stops damaged files before HDF5 reads them. With
// NEURITE_FUZZ_RESEAL=1 each input gets a valid header first, so that HDF5 and the checks behind
// it see crafted files (findings inside libhdf5 then are HDF5's: the header is what keeps them out).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <hdf5.h>

#include "fuzz_input.hpp"
#include "io/checkpoint.hpp"
#include "io/model_file.hpp"
#include "network/build.hpp"

namespace {

// Networks past this many neurons cost seconds to build: a time-out, not a finding.
constexpr std::uint64_t max_neurons = 5000;

void restore_into_its_network(const neurite::io::checkpoint& c, const std::string& path) {
  using namespace neurite;
  try {
    const auto desc = io::parse_model(c.model_text, c.model_file, io::override_list(c.overrides));
    std::uint64_t neurons = 0;
    for (const auto& p : desc.populations) neurons += p.size;
    if (neurons > max_neurons) return;
    auto built = network::build(desc);
    io::restore_state(c, *built.sim, path);
  } catch (const io::model_error&) {
  } catch (const network::build_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static neurite::fuzz::temp_file file(".h5");
  const std::string& path = file.write(data, size);
  static const bool reseal = std::getenv("NEURITE_FUZZ_RESEAL") != nullptr;
  if (reseal && size >= 512) neurite::io::seal_checkpoint(path);
  try {
    restore_into_its_network(neurite::io::read_checkpoint(path), path);
  } catch (const neurite::io::checkpoint_error&) {
  }
  // Every file, group, dataset, attribute and type the reader opened is closed again, on every
  // error path. (Leaks inside libhdf5 itself on damaged files are suppressed: lsan.supp.)
  neurite::fuzz::require(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
  return 0;
}
