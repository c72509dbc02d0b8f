#include "learn/pathfinder.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include <ATen/ops/empty.h>

#include "core/rng.hpp"

namespace neurite::learn {
namespace {

constexpr double spacing = 0.2;          // [px] between samples of a contour's path
constexpr int tries_per_contour = 50;    // before the whole image starts again
constexpr int tries_per_image = 200;
constexpr double distance_tolerance = 0.5;  // [px] of a negative's marker distance from its target

// A point of a contour's path: its pixel and whether a dash covers it.
struct path_point {
  std::uint32_t pixel;
  bool inked;
};

class canvas {
 public:
  explicit canvas(const pathfinder_options& o)
      : o_(o), n_(o.size), image_{std::vector<float>(n_ * n_), std::vector<std::uint8_t>(n_ * n_), {}, 0},
        blocked_(n_ * n_) {}

  // Draws contour `id` (with markers at the given ends: 0 start, 1 end) if it fits; false if not.
  // A second marker on another contour must lie within distance_tolerance of `marker_distance`
  // from the first (when marker_distance > 0).
  bool place(core::random_stream& r, std::uint8_t id, std::vector<int> marker_ends, double marker_distance) {
    std::vector<path_point> path;
    if (!trace(r, path)) return false;
    std::vector<std::uint32_t> markers;
    for (const int end : marker_ends) markers.push_back(end == 0 ? path.front().pixel : path.back().pixel);
    for (const std::uint32_t m : markers)
      if (!square_fits(m)) return false;
    if (markers.size() == 2 && !apart(markers[0], markers[1])) return false;  // two visible markers
    if (markers.size() == 1 && marker_count_ == 1 && marker_distance > 0 &&
        std::abs(distance(image_.markers[0], markers[0]) - marker_distance) > distance_tolerance)
      return false;
    if (std::any_of(path.begin(), path.end(), [&](const path_point& p) { return blocked_[p.pixel]; })) return false;
    for (const path_point& p : path) {
      image_.skeleton[p.pixel] = static_cast<std::uint8_t>(id + 1);
      if (p.inked) image_.pixels[p.pixel] = 1.0f;
    }
    for (const path_point& p : path) block_around(p.pixel, 1);
    for (const std::uint32_t m : markers) {
      for_square(m, 1, [&](std::uint32_t q) { image_.pixels[q] = 1.0f; });
      block_around(m, 2);
      image_.markers[marker_count_++] = m;
    }
    return true;
  }

  // The distance between the ends of a contour that could carry both markers on an empty canvas;
  // false when the draw would not fit.
  bool end_to_end(core::random_stream& r, double& d) const {
    std::vector<path_point> path;
    if (!trace(r, path)) return false;
    const std::uint32_t a = path.front().pixel, b = path.back().pixel;
    d = distance(a, b);
    return square_fits(a) && square_fits(b) && apart(a, b);
  }

  pathfinder_image take(std::int64_t label) {
    image_.label = label;
    return std::move(image_);
  }

 private:
  // The path from a uniform start and direction, turning at each joint; false if it leaves the image.
  bool trace(core::random_stream& r, std::vector<path_point>& path) const {
    const double period = o_.dash + o_.gap, max_turn = o_.max_turn * std::numbers::pi / 180;
    double x = r.uniform() * n_, y = r.uniform() * n_, angle = r.uniform() * 2 * std::numbers::pi, arc = 0;
    const auto steps = static_cast<int>(std::ceil(o_.segment_length / spacing));
    for (std::uint32_t s = 0; s < o_.segments; ++s) {
      if (s > 0) angle += (2 * r.uniform() - 1) * max_turn;
      for (int k = s == 0 ? 0 : 1; k <= steps; ++k) {
        const double px = x + k * spacing * std::cos(angle), py = y + k * spacing * std::sin(angle);
        if (px < 0 || py < 0 || px >= n_ || py >= n_) return false;
        path.push_back({static_cast<std::uint32_t>(py) * n_ + static_cast<std::uint32_t>(px), std::fmod(arc, period) < o_.dash});
        arc += spacing;
      }
      x += steps * spacing * std::cos(angle);
      y += steps * spacing * std::sin(angle);
    }
    return true;
  }

  // Calls f on the pixels of the square of half-width h around pixel c that lie in the image.
  template <class F>
  void for_square(std::uint32_t c, int h, F f) const {
    const int cx = static_cast<int>(c % n_), cy = static_cast<int>(c / n_), n = static_cast<int>(n_);
    for (int y = std::max(0, cy - h); y <= std::min(n - 1, cy + h); ++y)
      for (int x = std::max(0, cx - h); x <= std::min(n - 1, cx + h); ++x) f(static_cast<std::uint32_t>(y * n + x));
  }
  // A 3x3 marker around c: inside the image and clear of everything placed before.
  bool square_fits(std::uint32_t c) const {
    const std::uint32_t cx = c % n_, cy = c / n_;
    if (cx < 1 || cy < 1 || cx + 1 >= n_ || cy + 1 >= n_) return false;
    bool clear = true;
    for_square(c, 1, [&](std::uint32_t q) { clear = clear && !blocked_[q]; });
    return clear;
  }
  // Marker squares that neither overlap nor touch.
  bool apart(std::uint32_t a, std::uint32_t b) const {
    const auto d = [](std::uint32_t u, std::uint32_t v) { return u > v ? u - v : v - u; };
    return std::max(d(a % n_, b % n_), d(a / n_, b / n_)) >= 4;
  }
  double distance(std::uint32_t a, std::uint32_t b) const {
    return std::hypot(static_cast<double>(a % n_) - static_cast<double>(b % n_),
                      static_cast<double>(a / n_) - static_cast<double>(b / n_));
  }
  void block_around(std::uint32_t c, int h) {
    for_square(c, h, [&](std::uint32_t q) { blocked_[q] = 1; });
  }

  const pathfinder_options& o_;
  std::uint32_t n_;
  pathfinder_image image_;
  std::vector<std::uint8_t> blocked_;  // pixels a new contour or marker may not use
  std::size_t marker_count_ = 0;
};

// Exactly one of each pair of samples (2k, 2k + 1) is positive, which one drawn from (seed, k).
std::int64_t label_of(const pathfinder_options& o, std::uint32_t sample) {
  core::random_stream r(o.seed, core::stream_purpose(core::purpose::learn_tasks, 2), sample / 2, 1);
  return static_cast<std::int64_t>((sample & 1u) ^ (r.next_u32() & 1u));
}

// Try to draw one whole image; false if some contour did not fit. A negative image's markers are
// as far apart as the ends of a contour drawn for the purpose (when match_marker_distance), so
// that their distance, which on a positive image is a contour's end-to-end distance, says nothing
// about the label.
bool try_image(const pathfinder_options& o, core::random_stream& r, std::int64_t label, canvas& c) {
  double marker_distance = 0;
  for (int tries = 0; label == 0 && o.match_marker_distance && !c.end_to_end(r, marker_distance);)
    if (++tries == tries_per_contour) return false;
  for (std::uint32_t k = 0; k < o.contours; ++k) {
    std::vector<int> ends;
    if (k == 0) ends = label == 1 ? std::vector<int>{0, 1} : std::vector<int>{static_cast<int>(r.next_u32() & 1u)};
    if (k == 1 && label == 0) ends = {static_cast<int>(r.next_u32() & 1u)};
    int tries = 0;
    while (!c.place(r, static_cast<std::uint8_t>(k), ends, marker_distance))
      if (++tries == tries_per_contour) return false;
  }
  return true;
}

}  // namespace

pathfinder_image draw_pathfinder(const pathfinder_options& o, std::uint32_t sample) {
  const std::uint32_t id = o.first_sample + sample;
  const std::int64_t label = label_of(o, id);
  core::random_stream r(o.seed, core::stream_purpose(core::purpose::learn_tasks, 2), id, 0);
  for (int attempt = 0; attempt < tries_per_image; ++attempt) {
    canvas c(o);
    if (try_image(o, r, label, c)) return c.take(label);
  }
  throw std::invalid_argument("pathfinder: expected contours that fit the image, found none in " +
                              std::to_string(tries_per_image) + " attempts with contours = " + std::to_string(o.contours) +
                              ", segments = " + std::to_string(o.segments) + ", segment_length = " +
                              std::to_string(o.segment_length) + " on size = " + std::to_string(o.size));
}

pathfinder_dataset::pathfinder_dataset(pathfinder_options options) : options_(options) {
  if (options_.contours < 2 || options_.contours > 254 || options_.size < 4 || options_.segments < 1 ||
      !(options_.segment_length > 0 && options_.dash > 0 && options_.gap >= 0))
    throw std::invalid_argument("pathfinder: expected 2 <= contours <= 254, size >= 4, segments >= 1, "
                                "segment_length > 0, dash > 0 and gap >= 0");
}

labelled_batch pathfinder_dataset::batch(std::span<const std::uint32_t> samples, std::uint32_t, std::uint64_t) const {
  const auto B = static_cast<std::int64_t>(samples.size());
  const std::int64_t n = options_.size, pixels = n * n;
  const bool rows = options_.presentation == pathfinder_presentation::rows;
  const std::int64_t T = rows ? n : pixels, F = rows ? n : 1;
  labelled_batch out{at::empty({T, B, F}, at::kFloat), at::empty({B}, at::kLong)};
  float* inputs = out.inputs.data_ptr<float>();
  for (std::int64_t b = 0; b < B; ++b) {
    const std::uint32_t sample = samples[static_cast<std::size_t>(b)];
    if (sample >= count()) throw std::out_of_range("pathfinder: sample " + std::to_string(sample) + " beyond the data set");
    const pathfinder_image image = draw_pathfinder(options_, sample);
    for (std::int64_t t = 0; t < T; ++t) std::copy_n(image.pixels.data() + t * F, F, inputs + (t * B + b) * F);
    out.labels.data_ptr<std::int64_t>()[b] = image.label;
  }
  return out;
}

}  // namespace neurite::learn
