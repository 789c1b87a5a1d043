// Streaming encode equals whole encode at every piece size (pieces cut inside characters and inside
// special tokens), with bounded buffering, progress and cancellation; the incremental decoder never
// emits half a character.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "engine/tokenizer/incremental_decoder.h"
#include "engine/tokenizer/stream_encoder.h"
#include "engine/tokenizer/utf8.h"
#include "test_tokenizer_support.h"

namespace folio::engine {
namespace {

std::vector<TokenId> encodeInPieces(const Tokenizer& tok, std::string_view text, size_t piece,
                                     SpecialTokens specials = SpecialTokens::Parse, size_t* max_buffered = nullptr) {
  std::vector<TokenId> ids;
  StreamEncoder encoder(tok, [&](std::span<const TokenId> part) { ids.insert(ids.end(), part.begin(), part.end()); },
                        StreamEncodeOptions{specials});
  for (size_t pos = 0; pos < text.size(); pos += piece) {
    EXPECT_TRUE(encoder.feed(text.substr(pos, piece)).ok());
    if (max_buffered != nullptr) *max_buffered = std::max(*max_buffered, encoder.bufferedBytes());
  }
  EXPECT_TRUE(encoder.finish().ok());
  EXPECT_EQ(encoder.bufferedBytes(), 0u);
  EXPECT_EQ(encoder.bytesEncoded(), text.size());
  return ids;
}

const std::string kTricky =
    "<beginning_of_sentence>user name=user\nDon't  split   me<end_of_sentence>\n<think>\n  x = 12345678;\r\n"
    "</think>\n\nemoji 🎉🙂👍🏽 日本語 \xff\xfe invalid, <end_of_sent partial special, trailing spaces   \n\n  "
    "<think></think><end_of_document>";

TEST(TokenizerStream, EqualsWholeAtEveryPieceSize) {
  const Tokenizer& tok = test::tinyTokenizer();
  for (SpecialTokens specials : {SpecialTokens::Parse, SpecialTokens::AsText}) {
    const auto whole = tok.encode(kTricky, specials);
    for (size_t piece = 1; piece <= kTricky.size(); ++piece) {
      ASSERT_EQ(encodeInPieces(tok, kTricky, piece, specials), whole) << "piece size " << piece;
    }
  }
}

TEST(TokenizerStream, EqualsWholeOnLargeMixedTextWithRealMerges) {
  FOLIO_REQUIRE_REAL_MERGES(tok);
  const std::string text = test::mixedText(300000, 11, true) + kTricky + test::mixedText(1000, 12, false);
  const auto whole = tok->encode(text);
  for (size_t piece : {1u, 7u, 64u, 1000u, 4096u, 65537u}) {
    size_t max_buffered = 0;
    EXPECT_EQ(encodeInPieces(*tok, text, piece, SpecialTokens::Parse, &max_buffered), whole) << "piece " << piece;
    // Only an unfinished tail is kept: a few pre-tokens, not the text.
    EXPECT_LT(max_buffered, piece + 256) << "piece " << piece;
  }
}

TEST(TokenizerStream, TenMegabytesWithBoundedMemory) {
  FOLIO_REQUIRE_REAL_MERGES(tok);
  const std::string text = test::mixedText(10'000'000, 5, true);
  const auto t0 = std::chrono::steady_clock::now();
  const auto whole = tok->encode(text);
  const double whole_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  size_t max_buffered = 0;
  uint64_t last_progress = 0;
  int progress_calls = 0;
  std::vector<TokenId> streamed;
  StreamEncodeOptions options;
  options.progress = [&](uint64_t done) {
    EXPECT_GE(done, last_progress);
    last_progress = done;
    ++progress_calls;
  };
  StreamEncoder encoder(*tok, [&](std::span<const TokenId> part) { streamed.insert(streamed.end(), part.begin(), part.end()); },
                        options);
  constexpr size_t kPiece = 64 * 1024;
  const auto t1 = std::chrono::steady_clock::now();
  for (size_t pos = 0; pos < text.size(); pos += kPiece) {
    ASSERT_TRUE(encoder.feed(std::string_view(text).substr(pos, kPiece)).ok());
    max_buffered = std::max(max_buffered, encoder.bufferedBytes());
  }
  ASSERT_TRUE(encoder.finish().ok());
  const double stream_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  EXPECT_EQ(streamed, whole);
  EXPECT_LT(max_buffered, 4096u);
  EXPECT_EQ(last_progress, text.size());
  EXPECT_GE(progress_calls, static_cast<int>(text.size() / kPiece));
  // Information only (no timed assertion): the throughput on this machine.
  std::printf("[ info ] 10 MB mixed text -> %zu ids: whole %.2f MB/s, streamed in 64 KiB pieces %.2f MB/s\n",
              whole.size(), text.size() / whole_s / 1e6, text.size() / stream_s / 1e6);
}

TEST(TokenizerStream, CancelStopsWithACancelledError) {
  const Tokenizer& tok = test::tinyTokenizer();
  std::atomic<bool> cancel{false};
  StreamEncodeOptions options;
  options.cancel = &cancel;
  size_t produced = 0;
  StreamEncoder encoder(tok, [&](std::span<const TokenId> part) { produced += part.size(); }, options);
  // Longer than the longest special token, so that some of it is final at once.
  ASSERT_TRUE(encoder.feed("some text before the cancel flag is set, and then ").ok());
  cancel = true;
  const Status s = encoder.feed("more text");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::Cancelled);
  cancel = false;
  EXPECT_FALSE(encoder.finish().ok());  // a cancelled encoder stays stopped
  EXPECT_GT(produced, 0u);
}

TEST(TokenizerStream, EncodesAFile) {
  const Tokenizer& tok = test::tinyTokenizer();
  const auto path = std::filesystem::temp_directory_path() / ("folio_tok_stream_" + std::to_string(::getpid()));
  ASSERT_TRUE(writeFileAtomic(path, kTricky).ok());
  std::vector<TokenId> ids;
  const Status s = encodeFileStreaming(
      tok, path, [&](std::span<const TokenId> part) { ids.insert(ids.end(), part.begin(), part.end()); }, {}, 5);
  std::filesystem::remove(path);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(ids, tok.encode(kTricky));
  const Status missing = encodeFileStreaming(tok, "/nonexistent/file.txt", [](std::span<const TokenId>) {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/file.txt"), std::string::npos);
}

// Feeds ids one by one and checks every emitted piece is valid UTF-8 and the whole equals the repaired bytes.
void expectIncrementalDecode(const Tokenizer& tok, const std::vector<TokenId>& ids, DecodeOptions options = {}) {
  IncrementalDecoder decoder(tok, options);
  std::string streamed;
  for (const TokenId id : ids) {
    const std::string piece = decoder.push(id);
    EXPECT_EQ(utf8::repaired(piece), piece) << "a piece that is not valid UTF-8 after id " << id;
    EXPECT_LE(decoder.pendingBytes(), 3u);
    streamed += piece;
  }
  streamed += decoder.finish();
  EXPECT_EQ(streamed, utf8::repaired(tok.decode(ids, options)));
}

TEST(IncrementalDecoder, NeverEmitsHalfACharacter) {
  const Tokenizer& tok = test::tinyTokenizer();  // a small vocabulary: multi-byte characters span tokens
  const std::string text = "emoji 🎉🙂👍🏽 日本語 naïve ❤️ " + test::mixedText(3000, 9, false);
  expectIncrementalDecode(tok, tok.encode(text));
  // Byte by byte, every 4-byte emoji arrives in four pieces and comes out whole.
  std::vector<TokenId> bytes;
  for (const char c : std::string("a🎉b")) bytes.push_back(tok.encode(std::string(1, c)).front());
  IncrementalDecoder decoder(tok);
  EXPECT_EQ(decoder.push(bytes[0]), "a");
  EXPECT_EQ(decoder.push(bytes[1]), "");
  EXPECT_EQ(decoder.push(bytes[2]), "");
  EXPECT_EQ(decoder.push(bytes[3]), "");
  EXPECT_EQ(decoder.push(bytes[4]), "🎉");
  EXPECT_EQ(decoder.push(bytes[5]), "b");
}

TEST(IncrementalDecoder, InvalidBytesBecomeReplacementCharactersOnlyWhenFinal) {
  const Tokenizer& tok = test::tinyTokenizer();
  const auto id = [&](const char* bytes) { return tok.encode(bytes).front(); };
  IncrementalDecoder decoder(tok);
  EXPECT_EQ(decoder.push(id("\xe2")), "");     // could start a 3-byte character
  EXPECT_EQ(decoder.push(id("\x82")), "");     // still could
  EXPECT_EQ(decoder.push(id("x")), "\xEF\xBF\xBDx");  // cannot any more: one U+FFFD for the maximal subpart
  EXPECT_EQ(decoder.push(id("\xff")), "\xEF\xBF\xBD");  // never valid: replaced at once
  EXPECT_EQ(decoder.push(id("\xf0")), "");
  EXPECT_EQ(decoder.finish(), "\xEF\xBF\xBD");  // cut off by the end
  // A special token after an unfinished character ends it.
  const TokenId eos = tok.specialTokenId("<end_of_sentence>").value();
  IncrementalDecoder d2(tok);
  EXPECT_EQ(d2.push(id("\xc3")), "");
  EXPECT_EQ(d2.push(eos), "\xEF\xBF\xBD<end_of_sentence>");
  IncrementalDecoder d3(tok, DecodeOptions{.skip_special = true});
  EXPECT_EQ(d3.push(eos), "");
  expectIncrementalDecode(tok, tok.encode("a\xe2\x82 b\xf0\x9f\x8e\xc0\xaf\xed\xa0\x80 end \xf4\x90\x80\x80"));
}

}  // namespace
}  // namespace folio::engine
