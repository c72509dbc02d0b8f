#pragma once
// Internal to io/: the CSV file of an explicit connector. Rows are "source,target[,weight[,delay]]"
// (ids count from 0); blank lines and lines starting with '#' are skipped; the first row may be
// a header naming the columns. Every row has the same number of columns.
#include <cstddef>
#include <string>
#include <vector>

#include "network/description.hpp"

namespace neurite::io::detail {

struct edge_list {
  std::vector<network::connector_desc::edge> edges;  // weights and delays as written (no unit yet)
  std::vector<std::size_t> lines;                     // line of each edge, for messages
  std::size_t columns = 2;                            // 2: ids only, 3: + weight, 4: + weight, delay
};

// Reads `path`; problems are thrown as "PATH:LINE: KEY: expected ..., found ...". The caller
// reports a missing file (open_error is set and nothing thrown when it cannot be opened).
edge_list read_edge_list(const std::string& path, const std::string& key, core::index_t source_size,
                         core::index_t target_size, std::string& open_error);

}  // namespace neurite::io::detail
