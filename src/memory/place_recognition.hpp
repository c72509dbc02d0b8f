#pragma once
// Preprocessing and scoring of modular spiking place recognition (Hussaini, Milford & Fischer
// 2023; papers/PAPERS_01-12.md, section 9). Preprocessing: the paper's patch normalisation
// (patch_normalise below). Scoring, independent of how the responses were made:
//   - assignment: each neuron belongs to the place whose reference images make it fire most
//     (mean count over that place's images; Diehl & Cook's labelling);
//   - hyperactive neurons: those that fire for at least `thr` recorded images (of any place);
//     their responses are set to zero for every query (thr = 0: none is removed);
//   - a module's score for one of its places: the mean response of the neurons assigned to it;
//   - the modular system's place: the highest score over all modules' places, i.e. the answer
//     of the most confident module; its confidence is that score.
#include <cstdint>
#include <vector>

namespace neurite::memory {

using responses = std::vector<std::vector<std::uint32_t>>;  // [image][neuron] spike counts

// The paper's image preprocessing (read from the VPRSNN code, tools/data_utils.py): each pixel
// is replaced by its z-score within the patch x patch window centred on it (windows cut off at
// the border use the pixels inside the image only: the code pads with NaN and takes nanmean and
// the population nanstd), z clipped to [-1, 1] (a flat window, sd 0, gives 0), then mapped to 8
// bits as floor(255 (1 + z) / 2). Returned divided by 255, so that a white pixel is 1: with the
// modules' max_rate of 63.75 Hz this is the code's rate = pixel / intensity, intensity 4. The
// result does not change when the image is scaled or offset (illumination), which is the point.
// `image`: rows x cols pixels, row by row; patch odd and >= 1.
std::vector<float> patch_normalise(const std::vector<float>& image, int rows, int cols, int patch);

// The place of each neuron (-1: silent for every reference image). places[k]: the place of
// reference image k, in [0, n_places).
std::vector<int> assign_neurons(const responses& reference, const std::vector<int>& places, int n_places);

// Neurons that fire (at least one spike) for at least thr of the recorded images; none when thr = 0.
// The paper records the responses to the whole query traverse (calibration and test queries;
// no labels are used).
std::vector<bool> hyperactive_neurons(const responses& reference, int thr);

// A module's scores [query][place] for its n_places places, hyperactive neurons' responses zeroed.
std::vector<std::vector<double>> module_scores(const responses& queries, const std::vector<int>& assignment,
                                               const std::vector<bool>& removed, int n_places);

struct place_answer {
  int place;          // the predicted place (global index)
  double confidence;  // its score
};

// Modules' scores side by side (module m's place p is global place m * n_places + p): the best.
std::vector<place_answer> modular_answers(const std::vector<std::vector<std::vector<double>>>& module_scores);

// Fraction of answers equal to the true place.
double recall_at_1(const std::vector<place_answer>& answers, const std::vector<int>& truth);

// Precision-recall curve by a threshold on the confidence: for each distinct confidence c
// (highest first), the answers with confidence >= c are accepted; precision = correct accepted /
// accepted, recall = correct accepted / all queries (every query has a match in the map).
struct pr_point {
  double threshold, precision, recall;
};
std::vector<pr_point> precision_recall(const std::vector<place_answer>& answers, const std::vector<int>& truth);

// The hyperactivity thresholds of the paper's code.
std::vector<int> hyperactive_grid();

}  // namespace neurite::memory
