#pragma once
// Internal to io/: "KEY=VALUE" overrides applied to a parsed model file before validation.
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "io/toml_fields.hpp"

namespace neurite::io::detail {

// KEY is dotted ("populations.E.params.tau_m"); array elements are numbered from 0, as
// "projections.0.weight" or "projections[0].weight". VALUE is parsed as a TOML value, or taken
// as a string when it does not parse. Missing tables on the way are created, except a new
// population (set the whole table "populations.X={...}" to add one) and array elements, which
// must exist. Every node set is marked in `o` with the override's origin, so messages about it
// read "--set:N" or "--seed".
void apply_overrides(toml::table& root, const override_list& overrides, origins& o);

}  // namespace neurite::io::detail
