#pragma once
// Model state by name, for checkpoints. Each neuron model, plasticity rule and the kernel list
// their arrays once, in visit_state(); the same call saves them (a visitor that reads) and
// restores them (one that overwrites). A restoring visitor keeps each array's size unless the
// array is declared resizable, so a checkpoint cannot change the shapes the kernel relies on;
// what indexes memory is checked by its owner after restoring (restoring() tells).
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace neurite::core {

class state_visitor {
 public:
  virtual ~state_visitor() = default;
  virtual void reals(std::string_view name, std::vector<double>& values, bool resizable = false) = 0;
  virtual void floats(std::string_view name, std::vector<float>& values, bool resizable = false) = 0;
  virtual void integers(std::string_view name, std::vector<std::int64_t>& values, bool resizable = false) = 0;
  // Any other integer type, through a copy.
  template <class Int>
  void integers(std::string_view name, std::vector<Int>& values, bool resizable = false) {
    std::vector<std::int64_t> wide(values.begin(), values.end());
    integers(name, wide, resizable);
    values.assign(wide.size(), Int{});
    for (std::size_t k = 0; k < wide.size(); ++k) values[k] = static_cast<Int>(wide[k]);
  }
  // One value.
  template <class T>
  void scalar(std::string_view name, T& value) {
    std::vector<T> one{value};
    if constexpr (std::is_floating_point_v<T>)
      reals(name, one);
    else
      integers(name, one);
    value = one[0];
  }
  // A field of an array of structs, through a copy.
  template <class S, class T>
  void field(std::string_view name, std::vector<S>& items, T S::*member) {
    std::vector<T> values(items.size());
    for (std::size_t k = 0; k < items.size(); ++k) values[k] = items[k].*member;
    if constexpr (std::is_floating_point_v<T>)
      reals(name, values);
    else
      integers(name, values);
    for (std::size_t k = 0; k < items.size(); ++k) items[k].*member = values[k];
  }
  // True while restoring; then state that indexes memory must be checked.
  virtual bool restoring() const = 0;
  // The step the state belongs to: every recorded spike step lies before it.
  virtual std::int64_t step() const = 0;
};

// Passes every array on with "PREFIX/" before its name.
class prefixed_visitor final : public state_visitor {
 public:
  prefixed_visitor(state_visitor& inner, std::string prefix) : inner_(inner), prefix_(std::move(prefix) + "/") {}
  void reals(std::string_view name, std::vector<double>& values, bool resizable = false) override {
    inner_.reals(prefix_ + std::string(name), values, resizable);
  }
  void floats(std::string_view name, std::vector<float>& values, bool resizable = false) override {
    inner_.floats(prefix_ + std::string(name), values, resizable);
  }
  void integers(std::string_view name, std::vector<std::int64_t>& values, bool resizable = false) override {
    inner_.integers(prefix_ + std::string(name), values, resizable);
  }
  using state_visitor::integers;
  bool restoring() const override { return inner_.restoring(); }
  std::int64_t step() const override { return inner_.step(); }

 private:
  state_visitor& inner_;
  std::string prefix_;
};

}  // namespace neurite::core
