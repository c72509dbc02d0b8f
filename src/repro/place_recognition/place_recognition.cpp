// The place benchmark (papers/PAPERS_01-12.md, section 9, "feasible reproduction"; FINDINGS 9):
// place k is Fashion-MNIST training image k; a view of it is shifted by up to max_shift pixels, its
// brightness scaled by [0.8, 1.2) and Gaussian noise (sd 0.05) added, from the stream
// stream_purpose(learn_tasks, 5) with id = place and step = view. Views 0 .. train-1 train the
// modules and are the reference traverse; the next ones are the calibration queries, the last
// the test queries. Every query is shown to every module.
#include "repro/place_recognition/place_recognition.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <numeric>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "core/rng.hpp"
#include "io/fashion_mnist.hpp"
#include "io/results.hpp"
#include "memory/diehl_cook.hpp"
#include "memory/place_recognition.hpp"

namespace neurite::repro {
namespace {
using memory::responses;
using image = std::vector<float>;
constexpr std::uint32_t views_purpose = core::stream_purpose(core::purpose::learn_tasks, 5);

image view_of(const io::labelled_images& data, std::uint32_t k, std::uint64_t seed, std::uint32_t v, int max_shift) {
  core::random_stream r(seed, views_purpose, k, v);
  const auto range = static_cast<std::uint32_t>(2 * max_shift + 1);
  const int dx = static_cast<int>(r.below(range)) - max_shift, dy = static_cast<int>(r.below(range)) - max_shift;
  const double gain = 0.8 + 0.4 * r.uniform();
  const int rows = static_cast<int>(data.rows), cols = static_cast<int>(data.cols);
  image out(data.pixels_per_image());
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const int sy = y - dy, sx = x - dx;
      const bool inside = sy >= 0 && sy < rows && sx >= 0 && sx < cols;
      const double p = inside ? data.pixels[(std::size_t{k} * data.rows + static_cast<std::size_t>(sy)) * data.cols +
                                            static_cast<std::size_t>(sx)] / 255.0
                              : 0.0;
      out[static_cast<std::size_t>(y * cols + x)] = static_cast<float>(std::clamp(gain * p + 0.05 * r.normal(), 0.0, 1.0));
    }
  return out;
}

// What a module sees of a view: with the paper's preprocessing, the view as an 8-bit grey image
// (the code reads camera images) patch-normalised; else the raw view.
image preprocessed(image v, const place_size& z, const io::labelled_images& data) {
  if (z.patch == 0) return v;
  for (auto& p : v) p = static_cast<float>(std::round(255.0 * p) / 255.0);
  return memory::patch_normalise(v, static_cast<int>(data.rows), static_cast<int>(data.cols), z.patch);
}

// One module's responses: to its own places' reference views (with their module-local places),
// and to the calibration and test queries of every place.
struct module_run {
  responses reference, calibration, test;  // reference: the module's own places' training views
  responses record;                        // calibration then test: the paper's record phase
  std::vector<int> reference_places;
  std::vector<int> assignment;
  double train_s = 0;
};

struct benchmark {
  std::vector<std::vector<image>> views;  // [place][view]
  std::vector<image> calibration, test;   // queries, in place order
  std::vector<int> calibration_truth, test_truth;
};

benchmark make_benchmark(const place_size& z, std::uint64_t seed) {
  const std::uint32_t places = z.modules * z.places_per_module;
  const auto data = io::read_fashion_mnist(io::dataset_split::train).first(places);
  benchmark b;
  const std::uint32_t per_place = z.train_views + z.calibration_views + z.test_views;
  for (std::uint32_t k = 0; k < places; ++k) {
    auto& v = b.views.emplace_back();
    for (std::uint32_t j = 0; j < per_place; ++j) v.push_back(preprocessed(view_of(data, k, seed, j, z.max_shift), z, data));
    for (std::uint32_t j = 0; j < z.calibration_views; ++j) {
      b.calibration.push_back(v[z.train_views + j]);
      b.calibration_truth.push_back(static_cast<int>(k));
    }
    for (std::uint32_t j = 0; j < z.test_views; ++j) {
      b.test.push_back(v[z.train_views + z.calibration_views + j]);
      b.test_truth.push_back(static_cast<int>(k));
    }
  }
  return b;
}

memory::diehl_cook_config module_config(const place_size& z, std::uint64_t seed, int threads) {
  memory::diehl_cook_config c;
  c.n_e = z.n_e;
  c.present_ms = z.present_ms;
  c.rest_ms = z.rest_ms;
  c.max_repeats = z.max_repeats;
  c.delay_groups = z.delay_groups;
  c.dt = z.dt;
  c.input_delay = z.dt;
  c.pre_potentiates = true;  // the VPRSNN code's sign of the presynaptic term (Diehl & Cook: -)
  c.threads = threads;
  c.seed = seed;
  c.weight_seed = seed;
  return c;
}

// The training sequence: every epoch the module's training views in a new random order.
std::vector<image> training_images(const benchmark& b, const place_size& z, std::uint32_t module, std::uint64_t seed) {
  std::vector<const image*> pool;
  for (std::uint32_t p = 0; p < z.places_per_module; ++p)
    for (std::uint32_t j = 0; j < z.train_views; ++j) pool.push_back(&b.views[module * z.places_per_module + p][j]);
  std::vector<image> out;
  for (std::uint32_t e = 0; e < z.epochs; ++e) {
    core::random_stream r(seed, views_purpose, 2'000'000 + module, e);
    for (std::size_t k = pool.size(); k > 1; --k) std::swap(pool[k - 1], pool[r.below(static_cast<std::uint32_t>(k))]);
    for (const auto* p : pool) out.push_back(*p);
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct thread_check {
  double one_s = 0, two_s = 0;
  bool identical = false;
};

bool same_state(const memory::diehl_cook_state& a, const memory::diehl_cook_state& b) {
  return a.weights == b.weights && a.theta == b.theta;
}

// One module's first epoch on 1 and on 2 threads, alone on the machine: timed, compared bit for bit.
thread_check check_threads(const benchmark& b, place_size z, std::uint64_t seed) {
  z.epochs = 1;
  const auto train = training_images(b, z, 0, seed);
  auto c = module_config(z, seed, 1);
  const auto start = memory::initial_diehl_cook(c);
  thread_check check;
  auto t0 = std::chrono::steady_clock::now();
  const auto one = memory::train_diehl_cook(c, start, train);
  check.one_s = seconds_since(t0);
  c.threads = 2;
  t0 = std::chrono::steady_clock::now();
  const auto two = memory::train_diehl_cook(c, start, train);
  check.two_s = seconds_since(t0);
  check.identical = same_state(one, two);
  return check;
}

module_run run_module(const benchmark& b, const place_size& z, std::uint32_t module, std::uint64_t seed) {
  const auto c = module_config(z, seed, 1);
  module_run m;
  const auto t0 = std::chrono::steady_clock::now();
  const auto trained = memory::train_diehl_cook(c, memory::initial_diehl_cook(c), training_images(b, z, module, seed));
  m.train_s = seconds_since(t0);
  std::vector<image> reference;
  for (std::uint32_t p = 0; p < z.places_per_module; ++p)
    for (std::uint32_t j = 0; j < z.train_views; ++j) {
      reference.push_back(b.views[module * z.places_per_module + p][j]);
      m.reference_places.push_back(static_cast<int>(p));
    }
  m.reference = memory::diehl_cook_responses(c, trained, reference);
  m.calibration = memory::diehl_cook_responses(c, trained, b.calibration);
  m.test = memory::diehl_cook_responses(c, trained, b.test);
  // The paper's record phase: the module answers the whole query traverse (calibration and test
  // queries, no labels used); a neuron is hyperactive when it fires for many of those images.
  m.record = m.calibration;
  m.record.insert(m.record.end(), m.test.begin(), m.test.end());
  m.assignment = memory::assign_neurons(m.reference, m.reference_places, static_cast<int>(z.places_per_module));
  return m;
}

// Each module's scores for the queries, hyperactive neurons (thr) removed.
std::vector<std::vector<std::vector<double>>> scores_at(const std::vector<module_run>& modules, int thr,
                                                        bool calibration, int places) {
  std::vector<std::vector<std::vector<double>>> out;
  for (const auto& m : modules)
    out.push_back(memory::module_scores(calibration ? m.calibration : m.test, m.assignment,
                                        memory::hyperactive_neurons(m.record, thr), places));
  return out;
}

// A modular system (one seed): Recall@1 for every threshold, the threshold chosen on calibration.
struct system_result {
  std::vector<int> grid;
  std::vector<double> calibration_r1, test_r1;
  int chosen = 0;
  double regularised = 0, unregularised = 0;   // test Recall@1 at the chosen threshold and at 0
  std::vector<double> module_r1;               // each module alone on its own places' test queries
  std::vector<std::vector<std::vector<double>>> test_scores;  // at the chosen threshold
  std::vector<std::vector<std::vector<double>>> unregularised_scores;  // at 0
  std::vector<double> train_s;
  std::vector<std::string> activity;           // per module: spikes per reference image, places covered, ...
};

// A module's activity on its reference views: mean spikes per image, places with at least one
// assigned neuron, silent neurons, and how many of the query images (the record phase) the
// median (and the busiest) neuron fires for.
std::string activity_of(const module_run& m, int places) {
  double spikes = 0;
  for (const auto& r : m.reference) spikes += std::accumulate(r.begin(), r.end(), 0.0);
  std::vector<bool> covered(static_cast<std::size_t>(places), false);
  int silent = 0;
  for (const int a : m.assignment) a >= 0 ? covered[static_cast<std::size_t>(a)] = true : ++silent;
  std::vector<int> images(m.assignment.size(), 0);
  for (const auto& r : m.record)
    for (std::size_t j = 0; j < r.size(); ++j) images[j] += r[j] > 0 ? 1 : 0;
  std::sort(images.begin(), images.end());
  return fmt::format("{:.2f},{},{},{},{}", spikes / static_cast<double>(m.reference.size()),
                     std::count(covered.begin(), covered.end(), true), silent, images[images.size() / 2], images.back());
}

system_result evaluate(const std::vector<module_run>& modules, const benchmark& b, const place_size& z) {
  const int places = static_cast<int>(z.places_per_module);
  system_result r;
  r.grid = memory::hyperactive_grid();
  for (const int thr : r.grid) {
    r.calibration_r1.push_back(memory::recall_at_1(memory::modular_answers(scores_at(modules, thr, true, places)),
                                                   b.calibration_truth));
    r.test_r1.push_back(memory::recall_at_1(memory::modular_answers(scores_at(modules, thr, false, places)),
                                            b.test_truth));
  }
  // The best calibration Recall@1; on ties the smallest threshold (removing the fewest neurons).
  const auto best = std::max_element(r.calibration_r1.begin(), r.calibration_r1.end()) - r.calibration_r1.begin();
  r.chosen = r.grid[static_cast<std::size_t>(best)];
  r.regularised = r.test_r1[static_cast<std::size_t>(best)];
  r.unregularised = r.test_r1.front();
  r.test_scores = scores_at(modules, r.chosen, false, places);
  r.unregularised_scores = scores_at(modules, 0, false, places);
  for (std::size_t m = 0; m < modules.size(); ++m) {
    const auto all = memory::module_scores(modules[m].test, modules[m].assignment,
                                           std::vector<bool>(modules[m].assignment.size(), false), places);
    std::vector<std::vector<double>> own;
    std::vector<int> truth;
    for (std::size_t q = 0; q < all.size(); ++q)
      if (b.test_truth[q] / places == static_cast<int>(m)) own.push_back(all[q]), truth.push_back(b.test_truth[q] % places);
    r.module_r1.push_back(memory::recall_at_1(memory::modular_answers({own}), truth));
    r.train_s.push_back(modules[m].train_s);
    r.activity.push_back(activity_of(modules[m], places));
  }
  return r;
}

// The paper's simplest baseline: each test query's place is that of the reference view with the
// smallest sum of absolute pixel differences (SAD), over every place.
double sad_recall(const benchmark& b, const place_size& z) {
  std::size_t correct = 0;
  for (std::size_t q = 0; q < b.test.size(); ++q) {
    double best = std::numeric_limits<double>::infinity();
    int place = -1;
    for (std::size_t p = 0; p < b.views.size(); ++p)
      for (std::uint32_t j = 0; j < z.train_views; ++j) {
        double d = 0;
        for (std::size_t i = 0; i < b.test[q].size(); ++i) d += std::fabs(b.test[q][i] - b.views[p][j][i]);
        if (d < best) best = d, place = static_cast<int>(p);
      }
    correct += place == b.test_truth[q] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(b.test.size());
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }

void write_csvs(const options& o, const std::vector<system_result>& systems, const benchmark& b) {
  std::string recall = "seed,threshold,calibration_r1,test_r1,chosen\n", modules =
      "seed,module,r1_own_places,train_s,spikes_per_image,places_covered,silent_neurons,median_images_fired,"
      "max_images_fired\n";
  for (std::size_t s = 0; s < systems.size(); ++s) {
    const auto& r = systems[s];
    for (std::size_t k = 0; k < r.grid.size(); ++k)
      recall += fmt::format("{},{},{:.6f},{:.6f},{}\n", s, r.grid[k], r.calibration_r1[k], r.test_r1[k],
                            r.grid[k] == r.chosen ? 1 : 0);
    for (std::size_t m = 0; m < r.module_r1.size(); ++m)
      modules += fmt::format("{},{},{:.6f},{:.3f},{}\n", s, m, r.module_r1[m], r.train_s[m], r.activity[m]);
  }
  io::write_text_file(o.out + "/recall.csv", recall);
  io::write_text_file(o.out + "/modules.csv", modules);
  // Precision-recall of the first seed's modular system, with and without hyperactive neurons.
  std::string pr = "system,threshold,precision,recall\n";
  const auto& first = systems.front();
  const auto add = [&](const std::string& name, const std::vector<std::vector<std::vector<double>>>& scores) {
    for (const auto& p : memory::precision_recall(memory::modular_answers(scores), b.test_truth))
      pr += fmt::format("{},{:.6g},{:.6f},{:.6f}\n", name, p.threshold, p.precision, p.recall);
  };
  add("regularised", first.test_scores);
  add("unregularised", first.unregularised_scores);
  io::write_text_file(o.out + "/pr_curve.csv", pr);
}

// Average of the systems' module scores (the seed ensemble of the paper's code).
std::vector<std::vector<std::vector<double>>> ensemble_scores(const std::vector<system_result>& systems) {
  auto out = systems.front().test_scores;
  for (std::size_t s = 1; s < systems.size(); ++s)
    for (std::size_t m = 0; m < out.size(); ++m)
      for (std::size_t q = 0; q < out[m].size(); ++q)
        for (std::size_t p = 0; p < out[m][q].size(); ++p) out[m][q][p] += systems[s].test_scores[m][q][p];
  return out;  // a sum: the same argmax as the mean
}

verdict at_least(bool ok) { return ok ? verdict::match : verdict::miss; }

}  // namespace

place_size place_default_size(bool full) {
  place_size z;
  // --full: the paper's n_e = 400, 8 modules (200 places), 3 seeds, the code's 20 epochs.
  if (full) z.modules = 8, z.n_e = 400, z.seeds = 3;
  return z;
}

std::vector<row> run_place_recognition(const options& o, const place_size& z) {
  std::filesystem::create_directories(o.out);
  const auto b = make_benchmark(z, o.seed);
  const int threads = training_threads(o);
  const auto start = std::chrono::steady_clock::now();
  std::vector<system_result> systems;
  thread_check check;
  for (std::uint32_t s = 0; s < z.seeds; ++s) {
    std::vector<module_run> modules(z.modules);
    const auto seed = [&](std::uint32_t m) { return o.seed * 1000 + s * 100 + m; };
    if (z.thread_check && s == 0) check = check_threads(b, z, seed(0));
    // The modules side by side, one thread each: they are independent networks, so this scales
    // better than threads inside one small network, and gives the same bits.
    std::atomic<std::uint32_t> next{0};
    std::vector<std::thread> team;
    std::exception_ptr error;
    std::mutex report_lock;  // for the error and the progress lines
    for (int t = 0; t < threads; ++t)
      team.emplace_back([&] {
        for (std::uint32_t m = next++; m < z.modules; m = next++) try {
            modules[m] = run_module(b, z, m, seed(m));
            const std::lock_guard<std::mutex> lock(report_lock);
            fmt::print("place-recognition: seed {} of {}, module {} of {} done at {:.0f} s\n", s + 1, z.seeds, m + 1,
                       z.modules, seconds_since(start));
            std::fflush(stdout);
          } catch (...) {
            const std::lock_guard<std::mutex> lock(report_lock);
            error = std::current_exception();
          }
      });
    for (auto& t : team) t.join();
    if (error) std::rethrow_exception(error);
    systems.push_back(evaluate(modules, b, z));
  }
  write_csvs(o, systems, b);
  io::write_text_file(o.out + "/timing.csv", fmt::format("threads,train_s\n1,{:.3f}\n2,{:.3f}\n", check.one_s, check.two_s));

  const auto& first = systems.front();
  const double chance = 1.0 / z.places_per_module;
  std::vector<row> rows;
  const std::string size =
      fmt::format("{} modules x {} places, n_e = {}, {} epochs x {} views, {}, dt = {} ms", z.modules, z.places_per_module,
                  z.n_e, z.epochs, z.train_views, z.patch > 0 ? fmt::format("{0}x{0} patch-normalised", z.patch) : "raw pixels",
                  z.dt);
  rows.push_back({fmt::format("one module, Recall@1 on its {} places' test queries (module 0; {})", z.places_per_module, size),
                  fmt::format("well above chance {:.3f} (modules work; we ask > 10x chance)", chance),
                  fmt::format("{:.3f} (mean over modules {:.3f})", first.module_r1.front(), mean(first.module_r1)),
                  at_least(first.module_r1.front() > 10 * chance), criterion::ours});
  rows.push_back({fmt::format("modular Recall@1 (test, {} places): hyperactive neurons removed (thr = {} chosen on "
                              "calibration) vs all neurons",
                              z.modules * z.places_per_module, first.chosen),
                  "removal raises Recall@1 (regularised > unregularised)",
                  fmt::format("{:.3f} vs {:.3f}", first.regularised, first.unregularised),
                  at_least(first.regularised > first.unregularised)});
  if (z.seeds > 1) {
    std::vector<double> reg, unreg;
    for (const auto& s : systems) reg.push_back(s.regularised), unreg.push_back(s.unregularised);
    rows.push_back({fmt::format("modular Recall@1 over {} seeds: regularised vs unregularised (mean)", z.seeds),
                    "regularised > unregularised", fmt::format("{:.3f} vs {:.3f}", mean(reg), mean(unreg)),
                    at_least(mean(reg) > mean(unreg))});
    const double ensemble = memory::recall_at_1(memory::modular_answers(ensemble_scores(systems)), b.test_truth);
    rows.push_back({fmt::format("ensemble of {} seeds (summed module scores) vs its mean member, test Recall@1", z.seeds),
                    "ensemble > mean member", fmt::format("{:.3f} vs {:.3f}", ensemble, mean(reg)),
                    at_least(ensemble > mean(reg))});
  }
  rows.push_back({fmt::format("SAD baseline (nearest reference view by absolute pixel difference), test Recall@1, {} places",
                              z.modules * z.places_per_module),
                  "- (the paper's baseline; no figure read)", fmt::format("{:.3f}", sad_recall(b, z)),
                  verdict::not_applicable});
  rows.push_back({"precision-recall curve of the modular system (test, pr_curve.csv)", "- (plotted; no figure read)",
                  "written", verdict::not_applicable});
  if (z.thread_check) {
    rows.push_back({fmt::format("training time of one module (n_e = {}), one epoch of {} presentations on 1 / 2 threads; "
                                "all {} epochs, mean over modules trained side by side on one thread each",
                                z.n_e, z.places_per_module * z.train_views, z.epochs),
                    "- (no figure)",
                    fmt::format("{:.1f} s / {:.1f} s; {:.1f} s", check.one_s, check.two_s, mean(first.train_s)),
                    verdict::not_applicable});
    rows.push_back({"module trained for one epoch on 1 and on 2 threads: weights and thresholds", "bit-identical (ours)",
                    check.identical ? "identical" : "differ", at_least(check.identical), criterion::ours});
  }
  return rows;
}

namespace {
const bool registered = register_reproduction(
    {"place-recognition",
     "Hussaini et al. 2023: ensembles of compact, regularised Diehl & Cook SNN modules for place recognition, "
     "Fashion-MNIST places",
     "quick: 4 modules x 25 places, n_e = 100, 20 epochs, aligned views, 7x7 patch normalisation, dt 0.2 ms, ~6 min at load 4 "
     "(16 min at load 9): passes (module 0.88, removal 0.685 vs 0.510); --full: 8 modules, n_e = 400, 3 seeds, 104 "
     "CPU-min (~55 min on 2 quiet cores): passes (modules 1.000, removal 0.870 vs 0.834, ensemble 0.958)",
     [](const options& o) { return run_place_recognition(o, place_default_size(o.full)); }});
}  // namespace

}  // namespace neurite::repro
