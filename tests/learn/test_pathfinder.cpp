// The Pathfinder-style task (learn/pathfinder.hpp): determinism, balance, labels checked by
// connectivity of the undashed skeleton, and trivial baselines at chance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <thread>
#include <vector>

#include <ATen/ATen.h>

#include "learn/pathfinder.hpp"

using namespace neurite::learn;

namespace {
// Whether b is reached from a through 8-connected skeleton pixels.
bool connected(const pathfinder_image& im, std::uint32_t n, std::uint32_t a, std::uint32_t b) {
  std::vector<std::uint8_t> seen(n * n);
  std::vector<std::uint32_t> stack = {a};
  seen[a] = 1;
  while (!stack.empty()) {
    const std::uint32_t p = stack.back();
    stack.pop_back();
    if (p == b) return true;
    const int px = static_cast<int>(p % n), py = static_cast<int>(p / n), side = static_cast<int>(n);
    for (int y = std::max(0, py - 1); y <= std::min(side - 1, py + 1); ++y)
      for (int x = std::max(0, px - 1); x <= std::min(side - 1, px + 1); ++x) {
        const auto q = static_cast<std::uint32_t>(y * side + x);
        if (im.skeleton[q] && !seen[q]) seen[q] = 1, stack.push_back(q);
      }
  }
  return false;
}

double ink(const pathfinder_image& im) { return std::accumulate(im.pixels.begin(), im.pixels.end(), 0.0); }

double marker_distance(const pathfinder_image& im, std::uint32_t n) {
  const auto coordinate = [&](std::uint32_t i, bool row) { return static_cast<double>(row ? i / n : i % n); };
  return std::hypot(coordinate(im.markers[0], false) - coordinate(im.markers[1], false),
                    coordinate(im.markers[0], true) - coordinate(im.markers[1], true));
}

std::vector<pathfinder_image> draw(pathfinder_options o, std::uint32_t first, std::uint32_t count) {
  o.first_sample = first, o.samples = count;
  std::vector<pathfinder_image> images;
  for (std::uint32_t s = 0; s < count; ++s) images.push_back(draw_pathfinder(o, s));
  return images;
}

// Held-out accuracy of "label 1 iff the markers' distance lies in [low, high]", the whole-pixel
// band chosen on the training images.
double distance_band_accuracy(const std::vector<pathfinder_image>& train, const std::vector<pathfinder_image>& test,
                              std::uint32_t n) {
  const auto correct = [&](const std::vector<pathfinder_image>& images, double low, double high) {
    double right = 0;
    for (const auto& im : images) {
      const double d = marker_distance(im, n);
      right += (d >= low && d <= high) == (im.label == 1);
    }
    return right;
  };
  double best = 0, low = 0, high = 0;
  for (double l = 0; l < n * 1.5; ++l)
    for (double h = l; h < n * 1.5; ++h)
      if (const double right = correct(train, l, h); right > best) best = right, low = l, high = h;
  return correct(test, low, high) / static_cast<double>(test.size());
}
}  // namespace

TEST(pathfinder, images_are_a_pure_function_of_seed_and_sample) {
  pathfinder_options o;
  o.samples = 8;
  const pathfinder_image a = draw_pathfinder(o, 5), b = draw_pathfinder(o, 5), c = draw_pathfinder(o, 6);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_NE(a.pixels, c.pixels);
  o.seed = 2;
  EXPECT_NE(draw_pathfinder(o, 5).pixels, a.pixels);
  // Both presentations carry the same image; a sample is the same in any batch.
  o.seed = 1;
  const std::vector<std::uint32_t> batch = {5, 2}, alone = {5};
  const labelled_batch pixels = pathfinder_dataset(o).batch(batch, 0, 0);
  o.presentation = pathfinder_presentation::rows;
  const labelled_batch rows = pathfinder_dataset(o).batch(alone, 1, 7);
  ASSERT_EQ(pixels.inputs.sizes(), (at::IntArrayRef{1024, 2, 1}));
  ASSERT_EQ(rows.inputs.sizes(), (at::IntArrayRef{32, 1, 32}));
  EXPECT_TRUE(at::equal(pixels.inputs.select(1, 0).reshape({32, 32}), rows.inputs.select(1, 0)));
  EXPECT_EQ(pixels.labels[0].item<std::int64_t>(), a.label);
  EXPECT_TRUE(at::equal(pixels.inputs.select(1, 0).flatten(), at::tensor(a.pixels)));
  // Called from several threads at once (training_threads): the same batch.
  o.presentation = pathfinder_presentation::pixels;
  const pathfinder_dataset data(o);
  labelled_batch threaded;
  std::thread worker([&] { threaded = data.batch(batch, 0, 0); });
  const labelled_batch here = data.batch(batch, 0, 0);
  worker.join();
  EXPECT_TRUE(at::equal(threaded.inputs, here.inputs) && at::equal(threaded.labels, here.labels));
  EXPECT_TRUE(at::equal(here.inputs, pixels.inputs));
}

TEST(pathfinder, classes_are_balanced_in_every_pair) {
  pathfinder_options o;
  for (std::uint32_t k = 0; k < 500; ++k)
    EXPECT_EQ(draw_pathfinder(o, 2 * k).label + draw_pathfinder(o, 2 * k + 1).label, 1) << "pair " << k;
}

// The label is 1 exactly when the markers are joined by the undashed skeleton, the contours never
// touch one another, and the markers lie on contours.
TEST(pathfinder, label_is_skeleton_connectivity_of_the_markers) {
  pathfinder_options o;
  const std::uint32_t n = o.size;
  for (std::uint32_t s = 0; s < 400; ++s) {
    const pathfinder_image im = draw_pathfinder(o, s);
    ASSERT_TRUE(im.skeleton[im.markers[0]] && im.skeleton[im.markers[1]]) << "sample " << s;
    EXPECT_EQ(connected(im, n, im.markers[0], im.markers[1]), im.label == 1) << "sample " << s;
    for (std::uint32_t p = 0; p < n * n; ++p)  // each pixel against its 8 neighbours
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int x = static_cast<int>(p % n) + dx, y = static_cast<int>(p / n) + dy, side = static_cast<int>(n);
          if (x < 0 || y < 0 || x >= side || y >= side) continue;
          const std::uint8_t here = im.skeleton[p], there = im.skeleton[static_cast<std::uint32_t>(y * side + x)];
          ASSERT_TRUE(!here || !there || here == there) << "sample " << s << ": contours touch at pixel " << p;
        }
  }
}

// Counting ink (a threshold chosen on 2000 training images), the nearest class mean of the raw
// pixels and a band of marker distances all stay near chance on 1000 held-out images (one
// standard deviation of chance: 1.6%).
TEST(pathfinder, trivial_baselines_stay_near_chance) {
  const pathfinder_options o;
  const std::uint32_t P = o.size * o.size;
  const std::vector<pathfinder_image> train = draw(o, 0, 2000), test = draw(o, 2000, 1000);
  // Ink: the best threshold and direction on the training set.
  std::vector<double> train_ink;
  for (const auto& im : train) train_ink.push_back(ink(im));
  double best = 0, threshold = 0;
  bool above = true;
  for (const double candidate : train_ink)
    for (const bool dir : {true, false}) {
      double correct = 0;
      for (std::size_t j = 0; j < train.size(); ++j) correct += ((train_ink[j] > candidate) == dir) == (train[j].label == 1);
      if (correct > best) best = correct, threshold = candidate, above = dir;
    }
  double ink_correct = 0;
  for (const auto& j : test) ink_correct += ((ink(j) > threshold) == above) == (j.label == 1);
  // Nearest class mean.
  std::vector<double> mean[2] = {std::vector<double>(P), std::vector<double>(P)};
  double counts[2] = {0, 0};
  for (const auto& im : train) {
    counts[im.label] += 1;
    for (std::uint32_t p = 0; p < P; ++p) mean[im.label][p] += im.pixels[p];
  }
  for (int c = 0; c < 2; ++c)
    for (auto& m : mean[c]) m /= counts[c];
  double mean_correct = 0;
  for (const auto& j : test) {
    double d[2] = {0, 0};
    for (int c = 0; c < 2; ++c)
      for (std::uint32_t p = 0; p < P; ++p) d[c] += (j.pixels[p] - mean[c][p]) * (j.pixels[p] - mean[c][p]);
    mean_correct += (d[1] < d[0]) == (j.label == 1);
  }
  const double ink_accuracy = ink_correct / 1000, mean_accuracy = mean_correct / 1000;
  const double band_accuracy = distance_band_accuracy(train, test, o.size);
  std::printf("held-out accuracy: ink threshold %.3f, nearest class mean %.3f, marker-distance band %.3f\n",
              ink_accuracy, mean_accuracy, band_accuracy);
  EXPECT_LT(std::abs(ink_accuracy - 0.5), 0.06);
  EXPECT_LT(std::abs(mean_accuracy - 0.5), 0.06);
  EXPECT_LT(std::abs(band_accuracy - 0.5), 0.06);
}

// Without matching, a negative image's markers are two random contour ends, and their distance
// alone classifies most images: the cue that match_marker_distance removes.
TEST(pathfinder, unmatched_marker_distance_gives_the_label_away) {
  pathfinder_options o;
  o.match_marker_distance = false;
  const double band_accuracy = distance_band_accuracy(draw(o, 0, 500), draw(o, 500, 500), o.size);
  std::printf("held-out accuracy of the marker-distance band, unmatched: %.3f\n", band_accuracy);
  EXPECT_GT(band_accuracy, 0.75);
}
