#include "ingest/office/zip_archive.h"

#include <zip.h>

namespace folio::ingest::office {

struct ZipArchive::Impl {
  zip_t* zip = nullptr;
  std::string name;
  ~Impl() {
    if (zip != nullptr) zip_discard(zip);
  }
};

ZipArchive::ZipArchive(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive& ZipArchive::operator=(ZipArchive&&) noexcept = default;
ZipArchive::~ZipArchive() = default;

Result<ZipArchive> ZipArchive::open(std::string_view bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  // freep = 0: libzip reads the caller's buffer without taking it over.
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Error{ErrorKind::Internal, name + ": " + why};
  }
  // No ZIP_CHECKCONS: archives some tools write are inconsistent in ways Word reads past; each part's
  // checksum is still verified as it is read.
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return badInput(name + ": not a readable zip archive (" + why + ")");
  }
  zip_error_fini(&error);
  auto impl = std::make_unique<Impl>();
  impl->zip = zip;
  impl->name = name;
  return ZipArchive(std::move(impl));
}

Result<ZipArchive> ZipArchive::openFile(const std::filesystem::path& path) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (code == ZIP_ER_OPEN || code == ZIP_ER_READ || code == ZIP_ER_NOENT) return ioError(path.string() + ": " + why);
    return badInput(path.string() + ": not a readable zip archive (" + why + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->zip = zip;
  impl->name = path.string();
  return ZipArchive(std::move(impl));
}

std::optional<uint64_t> ZipArchive::find(const std::string& name) const {
  const zip_int64_t index = zip_name_locate(impl_->zip, name.c_str(), 0);
  if (index >= 0) return static_cast<uint64_t>(index);
  return std::nullopt;
}

bool ZipArchive::contains(const std::string& part) const { return zip_name_locate(impl_->zip, part.c_str(), 0) >= 0; }

Result<std::optional<std::string>> ZipArchive::read(const std::string& part, uint64_t max_bytes) const {
  const zip_int64_t index = zip_name_locate(impl_->zip, part.c_str(), 0);
  if (index < 0) return std::optional<std::string>{};
  auto bytes = readEntry(static_cast<uint64_t>(index), max_bytes);
  if (!bytes) return bytes.error();
  return std::optional<std::string>(std::move(*bytes));
}

std::vector<ZipArchive::Entry> ZipArchive::entries() const {
  std::vector<Entry> out;
  const zip_int64_t n = zip_get_num_entries(impl_->zip, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(impl_->zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS, &st) != 0 || st.name == nullptr) continue;
    Entry e;
    e.index = static_cast<uint64_t>(i);
    e.name = st.name;
    e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e.directory = !e.name.empty() && e.name.back() == '/';
    e.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> ZipArchive::readEntry(uint64_t index, uint64_t max_bytes, uint64_t* inflated) const {
  uint64_t ignored = 0;
  uint64_t& count = inflated != nullptr ? *inflated : ignored;
  count = 0;
  const char* stored = zip_get_name(impl_->zip, index, ZIP_FL_ENC_GUESS);
  const std::string where = impl_->name + ": " + (stored != nullptr ? stored : "entry " + std::to_string(index));
  zip_file_t* file = zip_fopen_index(impl_->zip, index, 0);
  if (file == nullptr) {
    return badInput(where + ": cannot be read (" + std::string(zip_strerror(impl_->zip)) + ")");
  }
  std::string out;
  char buf[65536];
  while (true) {
    const zip_int64_t n = zip_fread(file, buf, sizeof buf);
    if (n < 0) {
      std::string why = zip_file_strerror(file);
      zip_fclose(file);
      return badInput(where + ": corrupt (" + why + ")");
    }
    if (n == 0) break;
    count += static_cast<uint64_t>(n);
    if (out.size() + static_cast<uint64_t>(n) > max_bytes) {
      zip_fclose(file);
      return badInput(where + ": expands past " + std::to_string(max_bytes >> 20) + " MiB");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  // zip_fclose reports a CRC mismatch once the whole part was read.
  if (const int rc = zip_fclose(file); rc != 0) {
    zip_error_t error;
    zip_error_init_with_code(&error, rc);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return badInput(where + ": corrupt (" + why + ")");
  }
  return out;
}

}  // namespace folio::ingest::office
