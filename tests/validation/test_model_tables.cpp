// The descriptors of the models: NEST's defaults are consistent, and the cross-parameter
// checks reject what would make the dynamics meaningless, with an "expected ..." sentence.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/neuron_model.hpp"

using namespace neurite::core;

namespace {
std::string check_with(const char* model, std::vector<std::pair<const char*, double>> values) {
  const auto* info = find_neuron_model(model);
  param_set p(info->params);
  for (const auto& [name, value] : values) p.set(name, value);
  return info->check(p);
}
}  // namespace

TEST(model_tables, defaults_are_in_range_and_consistent) {
  for (const char* name : {"iaf_psc_exp", "iaf_cond_exp", "izhikevich", "aeif_cond_exp", "two_compartment_nmda"}) {
    const auto* info = find_neuron_model(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_FALSE(info->doc.empty()) << name;
    EXPECT_FALSE(info->method.empty()) << name;
    for (const auto& spec : info->params) {
      if (std::isinf(spec.default_value)) continue;  // "no bound" defaults (izhikevich V_min)
      EXPECT_EQ(spec.check(spec.default_value), "") << name << "." << spec.name;
    }
    ASSERT_TRUE(info->check) << name;
    EXPECT_EQ(info->check(param_set(info->params)), "") << name;
  }
}

TEST(model_tables, cross_checks_reject_inconsistent_parameters) {
  const auto starts_expected = [](const std::string& s) { return s.rfind("expected ", 0) == 0; };
  EXPECT_TRUE(starts_expected(check_with("iaf_psc_exp", {{"V_reset", -50}})));
  EXPECT_TRUE(starts_expected(check_with("iaf_cond_exp", {{"V_reset", -55}})));
  EXPECT_TRUE(starts_expected(check_with("izhikevich", {{"c", 40}})));
  EXPECT_TRUE(starts_expected(check_with("aeif_cond_exp", {{"V_peak", -60}})));
  EXPECT_TRUE(starts_expected(check_with("aeif_cond_exp", {{"V_reset", 10}})));
  EXPECT_TRUE(starts_expected(check_with("aeif_cond_exp", {{"Delta_T", 0.01}, {"V_peak", 100}})));
  EXPECT_EQ(check_with("aeif_cond_exp", {{"Delta_T", 0}}), "");  // no exponential: allowed
  EXPECT_TRUE(starts_expected(check_with("two_compartment_nmda", {{"V_reset", -40}})));
}

TEST(model_tables, time_constants_must_be_positive) {
  for (const char* name : {"iaf_psc_exp", "iaf_cond_exp", "aeif_cond_exp", "two_compartment_nmda"}) {
    const auto* info = find_neuron_model(name);
    for (const char* tau : {"tau_syn_ex", "tau_syn_in", "C_m"})
      EXPECT_NE(find_param(info->params, tau)->check(0.0), "") << name << "." << tau;
  }
}
