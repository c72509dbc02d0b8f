#pragma once
// A Pathfinder-style task (after the published description of Linsley et al. 2018, "snakes";
// written here, not ported): a square image holds several curved contours drawn as dashes and two
// square markers, each at an end of a contour. Label 1 when both markers sit on the two ends of one
// contour, 0 when they sit on two different contours. Every image has the same number of contours
// of the same length distribution, so counting ink says nothing about the label.
//
// A contour is a chain of `segments` straight pieces of `segment_length` pixels whose direction
// turns by a uniform angle in [-max_turn, max_turn] at each joint, from a uniform start point and
// direction. It is rasterised by sampling the path every 0.2 px (its skeleton: an 8-connected
// chain of pixels); a pixel is inked where the arc length modulo (dash + gap) is below dash.
// A contour that leaves the image or comes within one pixel (8-neighbourhood) of another contour
// or a marker is drawn again. On a positive image the markers' distance is a contour's end-to-end
// distance; on a negative one it would be that of two unrelated contour ends, a cue that alone
// classifies ~88% right. With match_marker_distance the second marker of a negative image must lie
// within 0.5 px of the end-to-end distance of a contour drawn for the purpose (with 1 px the cue
// still gave 54%). Every draw is a pure function of (seed, sample).
#include <array>
#include <cstdint>
#include <vector>

#include "learn/classifier.hpp"

namespace neurite::learn {

enum class pathfinder_presentation { pixels, rows };  // (size^2 steps, 1 feature) or (size steps, size features)

struct pathfinder_options {
  std::uint32_t samples = 10000;
  std::uint32_t first_sample = 0;  // sample ids first_sample .. + samples: disjoint for train and test
  std::uint32_t size = 32;         // [px] image side
  std::uint32_t contours = 4;      // two carry the markers (or one carries both), the rest distract
  std::uint32_t segments = 6;
  double segment_length = 3;       // [px]
  double max_turn = 40;            // [degrees] per joint
  double dash = 2, gap = 1.5;      // [px] along the contour
  bool match_marker_distance = true;  // negatives' markers as far apart as a contour's ends (+-0.5 px)
  pathfinder_presentation presentation = pathfinder_presentation::pixels;
  std::uint64_t seed = 1;
};

struct pathfinder_image {
  std::vector<float> pixels;          // size x size, row-major, 0 or 1
  std::vector<std::uint8_t> skeleton; // size x size: 0 background, k + 1 on contour k (undashed)
  std::array<std::uint32_t, 2> markers{};  // pixel indices of the two marker centres
  std::int64_t label = 0;
};

// Throws std::invalid_argument when the options cannot give an image (too many or too long
// contours for the size, after many attempts), naming the options.
pathfinder_image draw_pathfinder(const pathfinder_options& options, std::uint32_t sample);

class pathfinder_dataset final : public labelled_dataset {
 public:
  explicit pathfinder_dataset(pathfinder_options options);
  std::uint32_t count() const override { return options_.samples; }
  std::uint32_t classes() const override { return 2; }
  // Images are fixed per sample: stream and epoch do not matter.
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                       std::uint64_t epoch) const override;
  const pathfinder_options& options() const { return options_; }

 private:
  pathfinder_options options_;
};

}  // namespace neurite::learn
