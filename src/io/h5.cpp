#include "io/h5.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

namespace neurite::io::h5 {
namespace {

// HDF5's exit handler (H5_term_library) crashes in H5F__close_cb on a file whose close failed
// (a full disk), turning an exit with an error message into SIGSEGV. Every file neurite writes
// is closed explicitly, so the handler has nothing left to do; it must be turned off before the
// library's first use, hence at static initialization.
const bool no_exit_handler = H5dont_atexit() >= 0;

}  // namespace

handle::handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
  if (id < 0) throw std::runtime_error("HDF5: could not open or create " + what);
}

handle& handle::operator=(handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_, close_ = o.close_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void handle::reset() noexcept {
  if (id_ >= 0 && close_) close_(id_);
  id_ = H5I_INVALID_HID;
}

void handle::close(const std::string& what) {
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (id >= 0 && close_ && close_(id) < 0) throw std::runtime_error("HDF5: could not write and close " + what);
}

quiet_errors::quiet_errors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

quiet_errors::~quiet_errors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

handle create_file(const std::string& path, hsize_t userblock) {
  handle props(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "file properties");
  if (userblock && H5Pset_userblock(props, userblock) < 0) throw std::runtime_error("HDF5: could not reserve a user block");
  return {H5Fcreate(path.c_str(), H5F_ACC_TRUNC, props, H5P_DEFAULT), H5Fclose, "file " + path};
}

handle open_file(const std::string& path, bool writable) {
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw std::runtime_error(fmt::format("{}: not an HDF5 file (or a damaged one)", path));
  return {H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "file " + path};
}

handle make_group(hid_t parent, const std::string& name) {
  return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "group " + name};
}

handle open_group(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) throw std::runtime_error("no group " + name);
  return {H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "group " + name};
}

// A path "a/b/c" exists when each of "a", "a/b", "a/b/c" does (H5Lexists needs the parents).
bool exists(hid_t parent, const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.find("//") != std::string::npos) return false;
  for (std::size_t end = name.find('/');; end = name.find('/', end + 1)) {
    if (H5Lexists(parent, name.substr(0, end).c_str(), H5P_DEFAULT) <= 0) return false;
    if (end == std::string::npos) return true;
  }
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(type, std::max<std::size_t>(value.size(), 1));
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
  handle attr(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
  if (H5Awrite(attr, type, value.c_str()) < 0) throw std::runtime_error(fmt::format("HDF5: could not write {}", name));
}

std::string read_string_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) throw std::runtime_error(fmt::format("no attribute {}", name));
  handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, name);
  handle type(H5Aget_type(attr), H5Tclose, "type of " + std::string(name));
  handle space(H5Aget_space(attr), H5Sclose, "dataspace of " + std::string(name));
  if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) > 0 || H5Sget_simple_extent_npoints(space) != 1)
    throw std::runtime_error(fmt::format("attribute {} is not a fixed-length string", name));
  if (H5Tget_size(type) > (std::size_t{1} << 28)) throw std::runtime_error(fmt::format("attribute {} is too long", name));
  std::string value(H5Tget_size(type), '\0');
  handle memory(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  H5Tset_size(memory, value.size());
  H5Tset_strpad(memory, H5T_STR_NULLPAD);
  if (H5Aread(attr, memory, value.data()) < 0) throw std::runtime_error(fmt::format("could not read attribute {}", name));
  value.resize(value.find('\0') == std::string::npos ? value.size() : value.find('\0'));
  return value;
}

void write_sorting_attribute(hid_t group, const char* value) {
  handle type(H5Tenum_create(H5T_STD_U8LE), H5Tclose, "enum type");
  const char* names[] = {"none", "by_id", "by_time"};
  for (std::uint8_t k = 0; k < 3; ++k) H5Tenum_insert(type, names[k], &k);
  std::uint8_t code = 0;
  if (H5Tenum_valueof(type, value, &code) < 0) throw std::logic_error("no such sorting");
  handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
  handle attr(H5Acreate2(group, "sorting", type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "sorting");
  if (H5Awrite(attr, type, &code) < 0) throw std::runtime_error("HDF5: could not write sorting");
}

void write_number_attribute(hid_t object, const char* name, double value) {
  if (H5Aexists(object, name) > 0 && H5Adelete(object, name) < 0)
    throw std::runtime_error(fmt::format("HDF5: could not replace attribute {}", name));
  handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
  handle attr(H5Acreate2(object, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
  if (H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) < 0) throw std::runtime_error(fmt::format("HDF5: could not write {}", name));
}

std::optional<double> read_number_attribute(hid_t object, const char* name) {
  if (H5Aexists(object, name) <= 0) return std::nullopt;
  handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, name);
  handle type(H5Aget_type(attr), H5Tclose, "type of " + std::string(name));
  handle space(H5Aget_space(attr), H5Sclose, "dataspace of " + std::string(name));
  const auto type_class = H5Tget_class(type);
  if ((type_class != H5T_FLOAT && type_class != H5T_INTEGER) || H5Sget_simple_extent_npoints(space) != 1)
    throw std::runtime_error(fmt::format("attribute {} is not one number", name));
  double value = 0;
  if (H5Aread(attr, H5T_NATIVE_DOUBLE, &value) < 0) throw std::runtime_error(fmt::format("could not read attribute {}", name));
  return value;
}

std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info{};
  if (H5Gget_info(group, &info) < 0) throw std::runtime_error("could not list a group's members");
  std::vector<std::string> names;
  for (hsize_t k = 0; k < info.nlinks; ++k) {
    const ssize_t n = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
    if (n < 0) throw std::runtime_error("could not read a member's name");
    std::string name(static_cast<std::size_t>(n) + 1, '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(n));
    names.push_back(std::move(name));
  }
  return names;
}

template <>
hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <>
hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <>
hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <>
hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <>
hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }

growing_dataset::growing_dataset(hid_t parent, const std::string& name, hid_t type, hsize_t cols, const char* units)
    : name_(name), cols_(cols) {
  const int rank = cols ? 2 : 1;
  const hsize_t dims[2] = {0, cols}, max_dims[2] = {H5S_UNLIMITED, cols};
  handle space(H5Screate_simple(rank, dims, max_dims), H5Sclose, "dataspace for " + name);
  handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "properties");
  const hsize_t chunk[2] = {cols ? std::max<hsize_t>(1, 16384 / cols) : 16384, std::max<hsize_t>(cols, 1)};
  H5Pset_chunk(props, rank, chunk);
  H5Pset_fletcher32(props);  // a damaged chunk is an error when read, never silently wrong data
  H5Pset_deflate(props, 4);
  // Stored in the native (memory) type; HDF5 records its byte order, and readers convert.
  set_ = handle(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, props, H5P_DEFAULT), H5Dclose,
                "dataset " + name);
  if (units) write_string_attribute(set_, "units", units);
}

growing_dataset growing_dataset::open(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) throw std::runtime_error("no dataset " + name);
  growing_dataset d;
  d.name_ = name;
  d.set_ = handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "dataset " + name);
  handle space(H5Dget_space(d.set_), H5Sclose, "dataspace of " + name);
  hsize_t dims[2] = {0, 0};
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 1 || rank > 2) throw std::runtime_error("dataset " + name + " is not 1-D or 2-D");
  H5Sget_simple_extent_dims(space, dims, nullptr);
  d.rows_ = dims[0], d.cols_ = rank == 2 ? dims[1] : 0;
  return d;
}

void growing_dataset::append_raw(const void* data, std::size_t count, hid_t memory_type) {
  const hsize_t width = std::max<hsize_t>(cols_, 1), rows = count / width;
  if (rows == 0) return;
  const int rank = cols_ ? 2 : 1;
  const hsize_t extent[2] = {rows_ + rows, cols_}, offset[2] = {rows_, 0}, block[2] = {rows, cols_};
  if (H5Dset_extent(set_, extent) < 0) throw std::runtime_error("HDF5: could not extend " + name_);
  handle file_space(H5Dget_space(set_), H5Sclose, "dataspace of " + name_);
  H5Sselect_hyperslab(file_space, H5S_SELECT_SET, offset, nullptr, block, nullptr);
  handle memory_space(H5Screate_simple(rank, block, nullptr), H5Sclose, "dataspace");
  if (H5Dwrite(set_, memory_type, memory_space, file_space, H5P_DEFAULT, data) < 0)
    throw std::runtime_error("HDF5: could not write " + name_);
  rows_ += rows;
}

void growing_dataset::truncate(hsize_t rows) {
  if (rows >= rows_) return;
  const hsize_t extent[2] = {rows, cols_};
  if (H5Dset_extent(set_, extent) < 0) throw std::runtime_error("HDF5: could not shrink " + name_);
  rows_ = rows;
}

template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::size_t max_size) {
  if (!exists(parent, name)) throw std::runtime_error("no dataset " + name);
  handle set(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "dataset " + name);
  handle space(H5Dget_space(set), H5Sclose, "dataspace of " + name);
  if (H5Sget_simple_extent_ndims(space) != 1) throw std::runtime_error("dataset " + name + " is not 1-D");
  const auto n = H5Sget_simple_extent_npoints(space);
  if (n < 0 || static_cast<std::size_t>(n) > max_size)
    throw std::runtime_error(fmt::format("dataset {} has {} elements, more than the {} expected", name, n, max_size));
  std::vector<T> values(static_cast<std::size_t>(n));
  if (n > 0 && H5Dread(set, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw std::runtime_error("could not read dataset " + name + " (damaged?)");
  return values;
}

template std::vector<double> read_dataset<double>(hid_t, const std::string&, std::size_t);
template std::vector<float> read_dataset<float>(hid_t, const std::string&, std::size_t);
template std::vector<std::uint64_t> read_dataset<std::uint64_t>(hid_t, const std::string&, std::size_t);
template std::vector<std::int64_t> read_dataset<std::int64_t>(hid_t, const std::string&, std::size_t);
template std::vector<std::uint8_t> read_dataset<std::uint8_t>(hid_t, const std::string&, std::size_t);

}  // namespace neurite::io::h5
