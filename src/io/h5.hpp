#pragma once
// Internal to io/: the small part of the HDF5 C API that spikes.h5 and checkpoint.h5 use, with
// identifiers that close themselves and errors that throw std::runtime_error naming the object.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <hdf5.h>

namespace neurite::io::h5 {

// Owns an HDF5 identifier and closes it with the matching function.
class handle {
 public:
  handle() = default;
  handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what);
  ~handle() { reset(); }
  handle(handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = H5I_INVALID_HID; }
  handle& operator=(handle&& o) noexcept;
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  operator hid_t() const { return id_; }
  void reset() noexcept;  // closes, ignoring a failure (for unwinding and objects already flushed)
  // Closes, throwing when HDF5 cannot: for a file, the last writes failed and it is damaged.
  void close(const std::string& what);

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// Silences HDF5's own printing of error stacks while alive: errors surface as exceptions.
class quiet_errors {
 public:
  quiet_errors();
  ~quiet_errors();
  quiet_errors(const quiet_errors&) = delete;
  quiet_errors& operator=(const quiet_errors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// userblock: bytes kept free at the start of the file for its owner (0, or a power of 2 >= 512).
handle create_file(const std::string& path, hsize_t userblock = 0);
handle open_file(const std::string& path, bool writable);
handle make_group(hid_t parent, const std::string& name);
handle open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& name);  // a path "a/b" too

void write_string_attribute(hid_t object, const char* name, const std::string& value);
std::string read_string_attribute(hid_t object, const char* name);
// SONATA's `sorting` attribute as libsonata reads it: an HDF5 enum {none = 0, by_id = 1,
// by_time = 2} over an 8-bit integer (HDF5 converts enums by name, so readers whose base type
// differs agree).
void write_sorting_attribute(hid_t group, const char* value);
// A scalar double attribute, replacing one of that name; reading gives nullopt where there is none
// and throws where it is not one number.
void write_number_attribute(hid_t object, const char* name, double value);
std::optional<double> read_number_attribute(hid_t object, const char* name);
// The names of a group's members, in HDF5's name order.
std::vector<std::string> member_names(hid_t group);

template <class T>
hid_t native_type();

// A 1-D dataset, or a 2-D one with `cols` columns, that grows along its first dimension:
// chunked and gzip-compressed, so that appending costs no more than the rows appended.
class growing_dataset {
 public:
  growing_dataset() = default;
  // A new, empty dataset of T.
  template <class T>
  static growing_dataset create(hid_t parent, const std::string& name, hsize_t cols = 0, const char* units = nullptr) {
    return growing_dataset(parent, name, native_type<T>(), cols, units);
  }
  // An existing one, to append to.
  static growing_dataset open(hid_t parent, const std::string& name);

  // values.size() must be a multiple of the columns.
  template <class T>
  void append(const std::vector<T>& values) {
    append_raw(values.data(), values.size(), native_type<T>());
  }
  hsize_t rows() const { return rows_; }
  void truncate(hsize_t rows);  // to at most `rows` rows

 private:
  growing_dataset(hid_t parent, const std::string& name, hid_t type, hsize_t cols, const char* units);
  void append_raw(const void* data, std::size_t count, hid_t memory_type);

  handle set_;
  std::string name_;
  hsize_t rows_ = 0, cols_ = 0;
};

// A whole 1-D dataset of T, written at once.
template <class T>
void write_dataset(hid_t parent, const std::string& name, const std::vector<T>& values, const char* units = nullptr) {
  auto d = growing_dataset::create<T>(parent, name, 0, units);
  d.append(values);
}
// Reads a whole 1-D dataset of T; throws if it is missing, not 1-D or over max_size elements.
template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::size_t max_size);

}  // namespace neurite::io::h5
