#include "engine/model/snapshot.h"

#include <cstring>

#include "engine/common/file_io.h"
#include "engine/common/fnv1a.h"

namespace folio::engine {
namespace {

constexpr char kMagic[8] = {'F', 'O', 'L', 'I', 'O', 'S', 'N', 'P'};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <class T>
  void put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));  // the host is little-endian (checked in encodeNpyF32's static_assert too)
    out_.append(b, sizeof(T));
  }
  template <class T>
  void putArray(const T* data, size_t n) {
    out_.append(reinterpret_cast<const char*>(data), n * sizeof(T));
  }
  void putString(const std::string& s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_ += s;
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& source) : b_(bytes), source_(source) {}
  size_t offset() const { return at_; }
  void skip(size_t n) { at_ += n; }  // only over bytes already checked

  template <class T>
  Result<T> get(const char* what) {
    if (b_.size() - at_ < sizeof(T)) return truncated(what);
    T v;
    std::memcpy(&v, b_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  template <class T>
  Status getArray(T* dst, uint64_t n, const char* what) {
    if (n > (b_.size() - at_) / sizeof(T)) return truncated(what);
    std::memcpy(dst, b_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return {};
  }
  Result<std::string> getString(const char* what) {
    auto n = get<uint32_t>(what);
    if (!n.ok()) return n.error();
    if (n.value() > b_.size() - at_) return truncated(what);
    std::string s(b_.substr(at_, n.value()));
    at_ += n.value();
    return s;
  }
  Error fail(const std::string& what) const {
    return badInput(source_ + ": state snapshot: " + what + " (offset " + std::to_string(at_) + ")");
  }

 private:
  Error truncated(const char* what) const { return fail(std::string("truncated in ") + what); }
  std::string_view b_;
  const std::string& source_;
  size_t at_ = 0;
};

#define SNAP_GET(var, type, what)           \
  auto var##_r = reader.get<type>(what);    \
  if (!var##_r.ok()) return var##_r.error(); \
  const type var = var##_r.value()

}  // namespace

std::string encodeSnapshot(const SessionState& state, const Model& model) {
  const ModelConfig& c = model.config();
  std::string out;
  Writer w(out);
  out.append(kMagic, sizeof kMagic);
  w.put<uint32_t>(kSnapshotVersion);
  w.put<uint32_t>(0);
  w.putString(model.identity());
  const int64_t P = state.position;
  w.put<int64_t>(P);
  w.put<uint64_t>(tokenHistoryHash(state.tokens));
  w.putArray(state.tokens.data(), state.tokens.size());
  w.put<uint32_t>(static_cast<uint32_t>(state.layers.size()));
  for (const LayerState& ls : state.layers) {
    w.put<uint8_t>(static_cast<uint8_t>(ls.type));
    if (ls.type == AttnType::Lightning) {
      w.put<uint32_t>(static_cast<uint32_t>(c.num_heads));
      w.put<uint32_t>(static_cast<uint32_t>(c.head_dim));
      w.putArray(ls.lightning.data(), ls.lightning.size());
      w.putArray(ls.pending.data(), ls.pending.size());
    } else {
      const size_t rows = static_cast<size_t>(P) * static_cast<size_t>(c.num_kv_heads) * static_cast<size_t>(c.head_dim);
      w.put<uint32_t>(static_cast<uint32_t>(c.num_kv_heads));
      w.put<uint32_t>(static_cast<uint32_t>(c.head_dim));
      w.putArray(ls.k_cache.data(), rows);
      w.putArray(ls.v_cache.data(), rows);
    }
  }
  w.put<uint32_t>(static_cast<uint32_t>(state.last_logits.size()));
  w.putArray(state.last_logits.data(), state.last_logits.size());
  w.put<uint64_t>(fnv1a64(out.data(), out.size()));
  return out;
}

Result<SessionState> decodeSnapshot(std::string_view bytes, const Model& model, int64_t capacity,
                                    const std::string& source) {
  const ModelConfig& c = model.config();
  const auto fail = [&](const std::string& what) { return badInput(source + ": state snapshot: " + what); };
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return fail("not a Folio state snapshot (bad magic)");
  }
  if (bytes.size() < sizeof kMagic + 8 + 8) return fail("truncated header");
  uint32_t version, flags;
  std::memcpy(&version, bytes.data() + sizeof kMagic, 4);
  std::memcpy(&flags, bytes.data() + sizeof kMagic + 4, 4);
  if (version > kSnapshotVersion) {
    return Error{ErrorKind::Unsupported, source + ": state snapshot version " + std::to_string(version) +
                                             " is newer than this build supports (" +
                                             std::to_string(kSnapshotVersion) + ")"};
  }
  if (version != kSnapshotVersion) return fail("unknown version " + std::to_string(version));
  if (flags != 0) return fail("unknown flags " + std::to_string(flags));
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  if (fnv1a64(bytes.data(), bytes.size() - 8) != stored) {
    return fail("checksum mismatch: the file is truncated or corrupt");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  Reader reader(body, source);
  reader.skip(sizeof kMagic + 8);  // magic, version, flags: checked above
  auto identity = reader.getString("model identity");
  if (!identity.ok()) return identity.error();
  if (identity.value() != model.identity()) {
    return badInput(source + ": state snapshot belongs to another model (identity " + identity.value() +
                    ", this model is " + model.identity() + ")");
  }
  SNAP_GET(position, int64_t, "position");
  if (position < 0) return reader.fail("negative position");
  if (position > capacity) {
    return badInput(source + ": state snapshot holds " + std::to_string(position) +
                    " tokens, more than the session's context capacity " + std::to_string(capacity));
  }
  SNAP_GET(token_hash, uint64_t, "token hash");
  SessionState state;
  state.allocate(c, capacity);
  state.position = position;
  state.tokens.resize(static_cast<size_t>(position));
  FOLIO_TRY(reader.getArray(state.tokens.data(), state.tokens.size(), "token ids"));
  if (tokenHistoryHash(state.tokens) != token_hash) return reader.fail("token history hash mismatch");
  for (int32_t t : state.tokens) {
    if (t < 0 || t >= c.vocab_size) return reader.fail("token id " + std::to_string(t) + " out of range");
  }
  SNAP_GET(num_layers, uint32_t, "layer count");
  if (num_layers != static_cast<uint32_t>(c.num_layers)) {
    return reader.fail(std::to_string(num_layers) + " layers, the model has " + std::to_string(c.num_layers));
  }
  for (uint32_t l = 0; l < num_layers; ++l) {
    LayerState& ls = state.layers[l];
    SNAP_GET(type, uint8_t, "layer type");
    SNAP_GET(heads, uint32_t, "layer heads");
    SNAP_GET(dim, uint32_t, "layer head dim");
    if (type != static_cast<uint8_t>(ls.type) || dim != static_cast<uint32_t>(c.head_dim) ||
        heads != static_cast<uint32_t>(ls.type == AttnType::Lightning ? c.num_heads : c.num_kv_heads)) {
      return reader.fail("layer " + std::to_string(l) + " does not match the model's layer");
    }
    if (ls.type == AttnType::Lightning) {
      FOLIO_TRY(reader.getArray(ls.lightning.data(), ls.lightning.size(), "lightning state"));
      FOLIO_TRY(reader.getArray(ls.pending.data(), ls.pending.size(), "lightning pending steps"));
      for (int32_t p : ls.pending) {
        if (p < 0) return reader.fail("negative pending decode steps in layer " + std::to_string(l));
      }
    } else {
      const uint64_t rows = static_cast<uint64_t>(position) * heads * dim;
      FOLIO_TRY(reader.getArray(ls.k_cache.data(), rows, "key cache"));
      FOLIO_TRY(reader.getArray(ls.v_cache.data(), rows, "value cache"));
    }
  }
  SNAP_GET(vocab, uint32_t, "logit count");
  if (vocab != (position == 0 ? 0u : static_cast<uint32_t>(c.vocab_size))) {
    return reader.fail("logit count " + std::to_string(vocab) + " does not match the vocabulary");
  }
  state.last_logits.resize(vocab);
  FOLIO_TRY(reader.getArray(state.last_logits.data(), vocab, "last logits"));
  if (reader.offset() != body.size()) return reader.fail("trailing bytes after the state");
  return state;
}

Result<SessionState> readSnapshotFile(const std::filesystem::path& path, const Model& model, int64_t capacity) {
  auto bytes = readFile(path, size_t{1} << 40);
  if (!bytes.ok()) return bytes.error();
  return decodeSnapshot(bytes.value(), model, capacity, path.string());
}

}  // namespace folio::engine
