// The safetensors header parser and the mapped file: a valid file, then one broken rule per test, each
// with an error that names the file, the tensor and what is wrong.
#include <gtest/gtest.h>

#include <cstring>

#include "engine/weights/safetensors.h"
#include "support/safetensors_writer.h"

using folio::engine::parseSafetensorsHeader;
using folio::engine::SafetensorsFile;
using folio::engine::SafetensorsHeader;
using folio::kernels::DType;
using folio::test::safetensorsFile;
using folio::test::safetensorsParts;
using folio::test::StTensor;

namespace {

folio::Result<SafetensorsHeader> parseBytes(const std::string& file) {
  return parseSafetensorsHeader({reinterpret_cast<const uint8_t*>(file.data()), file.size()}, file.size(), "w.safetensors");
}

void expectError(const std::string& file, std::initializer_list<std::string> words) {
  auto r = parseBytes(file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, folio::ErrorKind::BadInput);
  EXPECT_EQ(r.error().message.rfind("w.safetensors: ", 0), 0u) << r.error().message;
  for (const std::string& w : words) EXPECT_NE(r.error().message.find(w), std::string::npos) << r.error().message;
}

// A header whose tensors are written by hand, with `data_bytes` bytes of data after it.
std::string handMade(const std::string& header, size_t data_bytes) {
  return safetensorsFile(header, std::string(data_bytes, '\x11'));
}

const std::vector<StTensor> kTwo = {{"a", "F32", {2, 3}, {}}, {"b", "BF16", {4}, {}}};

}  // namespace

TEST(Safetensors, ParsesAValidFile) {
  const std::string file = safetensorsFile({{"b", "BF16", {4}, {}}, {"a", "F32", {2, 3}, {}}, {"c", "F16", {0, 5}, {}}});
  auto r = parseBytes(file);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->tensors.size(), 3u);
  // Sorted by data offset (file order), not by name.
  EXPECT_EQ(r->tensors[0].name, "b");
  EXPECT_EQ(r->tensors[0].dtype, DType::BF16);
  EXPECT_EQ(r->tensors[0].shape, (std::vector<int64_t>{4}));
  EXPECT_EQ(r->tensors[0].begin, 0u);
  EXPECT_EQ(r->tensors[0].end, 8u);
  EXPECT_EQ(r->tensors[1].name, "a");
  EXPECT_EQ(r->tensors[1].begin, 8u);
  EXPECT_EQ(r->tensors[1].end, 32u);
  EXPECT_EQ(r->tensors[2].name, "c");  // zero elements, zero bytes
  EXPECT_EQ(r->tensors[2].begin, 32u);
  EXPECT_EQ(r->tensors[2].end, 32u);
  EXPECT_EQ(r->data_bytes, 32u);
  EXPECT_EQ(r->data_start + r->data_bytes, file.size());
  EXPECT_EQ(r->metadata.at("format"), "pt");
}

TEST(Safetensors, EmptyHeaderAndNoData) {
  auto r = parseBytes(handMade("{}", 0));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->tensors.empty());
}

TEST(Safetensors, TruncatedBeforeTheLength) {
  expectError("", {"truncated", "0 bytes"});
  expectError(std::string("\x10\0\0", 3), {"truncated"});
}

TEST(Safetensors, HeaderLengthPastTheFile) {
  expectError(folio::test::le64Bytes(1000) + "{}", {"header length 1000", "runs past the end", "(10 bytes)"});
  expectError(folio::test::le64Bytes(~0ull), {"exceeds the limit"});
  expectError(folio::test::le64Bytes(100'000'001) + std::string(16, ' '), {"exceeds the limit of 100000000"});
}

TEST(Safetensors, TruncatedDataSection) {
  std::string file = safetensorsFile(kTwo);
  file.resize(file.size() - 3);
  expectError(file, {"tensor 'b'", "run past the data section"});
}

TEST(Safetensors, FileLongerThanItsTensors) {
  expectError(safetensorsFile(kTwo) + "xyz", {"file size mismatch", "35 bytes", "cover 32"});
}

TEST(Safetensors, HeaderMustBeUtf8) {
  // "\xC0\xAF" is an overlong '/', never valid UTF-8.
  expectError(handMade("{\"a\xC0\xAF\":{}}", 0), {"not valid UTF-8", "byte offset 11"});
}

TEST(Safetensors, HeaderMustBeAJsonObject) {
  expectError(handMade("{\"a\": ", 0), {"not valid JSON"});
  expectError(handMade("[1, 2]", 0), {"not a JSON object"});
  expectError(handMade("{\"a\": 3}", 0), {"tensor 'a'", "expected an object"});
}

TEST(Safetensors, OverlappingOffsets) {
  expectError(handMade(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                       R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
                       24),
              {"tensor 'b'", "overlap tensor 'a'", "[8, 24]", "[0, 16]"});
}

TEST(Safetensors, HoleyOffsets) {
  expectError(handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})",
                       20),
              {"hole of 4 bytes", "tensor 'b'"});
  expectError(handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12),
              {"hole of 4 bytes", "tensor 'a'"});
}

TEST(Safetensors, SizeMismatchBetweenShapeAndOffsets) {
  expectError(handMade(R"({"w":{"dtype":"BF16","shape":[3,3],"data_offsets":[0,16]}})", 16),
              {"tensor 'w'", "size mismatch", "16 bytes", "needs 18"});
}

TEST(Safetensors, UnknownDtypeNamesTheTensor) {
  auto [header, data] = safetensorsParts({{"model.embed_tokens.weight", "I64", {2}, {}}});
  expectError(safetensorsFile(header, data), {"tensor 'model.embed_tokens.weight'", "unsupported dtype 'I64'"});
  auto [h2, d2] = safetensorsParts({{"x", "F8_E4M3", {2}, {}}});
  expectError(safetensorsFile(h2, d2), {"unsupported dtype 'F8_E4M3'"});
  expectError(handMade(R"({"x":{"shape":[1],"data_offsets":[0,4]}})", 4), {"tensor 'x'", "dtype"});
}

TEST(Safetensors, ShapeMustBeNonNegativeIntegers) {
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", 0),
              {"tensor 'x'", "shape[0]", "non-negative integer"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4), {"shape[0]"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":"4","data_offsets":[0,16]}})", 16), {"shape"});
}

TEST(Safetensors, ShapeOverflowIsCaught) {
  // 2^62 × 8 elements overflows int64; × 4 bytes would wrap a naive product to 0.
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,0]}})", 0),
              {"tensor 'x'", "overflows"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904,0],"data_offsets":[0,0]}})", 0),
              {"overflows"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}})", 0),
              {"overflows the byte size"});
}

TEST(Safetensors, DataOffsetsMustBeAPair) {
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4), {"data_offsets"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", 4), {"end before begin"});
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}})", 4), {"data_offsets"});
}

TEST(Safetensors, DuplicateNamesAreRefused) {
  expectError(handMade(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                       R"("x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                       8),
              {"tensor 'x'", "appears twice"});
}

TEST(Safetensors, MetadataMustMapStringsToStrings) {
  expectError(handMade(R"({"__metadata__":{"format":1}})", 0), {"__metadata__", "'format'", "not a string"});
  expectError(handMade(R"({"__metadata__":[1]})", 0), {"__metadata__"});
}

TEST(Safetensors, Utf8Validator) {
  auto bad = [](const std::string& s) {
    return folio::engine::firstInvalidUtf8({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  };
  EXPECT_EQ(bad("plain"), 5u);
  EXPECT_EQ(bad("é€😀"), std::strlen("é€😀"));
  EXPECT_EQ(bad("ab\x80"), 2u);              // stray continuation byte
  EXPECT_EQ(bad("a\xC0\x80"), 1u);           // overlong NUL
  EXPECT_EQ(bad("a\xE0\x80\xAF"), 1u);       // overlong 3-byte
  EXPECT_EQ(bad("\xED\xA0\x80"), 0u);        // UTF-16 surrogate
  EXPECT_EQ(bad("\xF4\x90\x80\x80"), 0u);    // past U+10FFFF
  EXPECT_EQ(bad("ok\xE2\x82"), 2u);          // truncated sequence
  EXPECT_EQ(bad("\xFF"), 0u);
}

TEST(SafetensorsFile, MapsAndReadsTensorBytes) {
  const auto dir = folio::test::freshTempDir("st");
  const std::string f32_bytes = [] {
    std::string s(16, '\0');
    const float v[4] = {1.f, -2.f, 3.5f, 0.25f};
    std::memcpy(s.data(), v, 16);
    return s;
  }();
  folio::test::writeBinaryFile(dir / "m.safetensors",
                               safetensorsFile({{"norm", "BF16", {3}, {}}, {"w", "F32", {2, 2}, f32_bytes}}));
  auto f = SafetensorsFile::open(dir / "m.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->header().tensors.size(), 2u);
  const auto& w = f->header().tensors[1];
  ASSERT_EQ(w.name, "w");
  float got[4];
  std::memcpy(got, f->tensorData(w), 16);
  EXPECT_EQ(got[0], 1.f);
  EXPECT_EQ(got[1], -2.f);
  EXPECT_EQ(got[2], 3.5f);
  EXPECT_EQ(got[3], 0.25f);
  // Pattern bytes of tensor 0 ("norm"): (0 * 37 + k) & 0xff
  const auto* norm = static_cast<const uint8_t*>(f->tensorData(f->header().tensors[0]));
  for (int k = 0; k < 6; ++k) EXPECT_EQ(norm[k], k);
  EXPECT_EQ(f->headerBytes().size(), f->header().data_start);
  std::filesystem::remove_all(dir);
}

TEST(SafetensorsFile, ErrorsNameThePath) {
  const auto dir = folio::test::freshTempDir("st");
  auto missing = SafetensorsFile::open(dir / "none.safetensors");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, folio::ErrorKind::NotFound);
  EXPECT_NE(missing.error().message.find("none.safetensors"), std::string::npos);

  std::string file = safetensorsFile(kTwo);
  file.resize(20);  // cut inside the header
  folio::test::writeBinaryFile(dir / "cut.safetensors", file);
  auto cut = SafetensorsFile::open(dir / "cut.safetensors");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().message.find((dir / "cut.safetensors").string() + ": header length"), std::string::npos)
      << cut.error().message;

  folio::test::writeBinaryFile(dir / "empty.safetensors", "");
  auto empty = SafetensorsFile::open(dir / "empty.safetensors");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("truncated"), std::string::npos);

  auto directory = SafetensorsFile::open(dir);
  ASSERT_FALSE(directory.ok());
  std::filesystem::remove_all(dir);
}
