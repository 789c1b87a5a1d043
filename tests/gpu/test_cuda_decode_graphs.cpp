// CUDA graphs for decode (engine/cuda/decode_graph.h) on every golden fixture with a softmax layer:
// its kernels take the position as an argument, and its decode split count changes the graph's shape
// at 65 rows (a merge kernel appears) and its grid at 129, so positions 40 … 139 cover a plain update,
// a re-instantiation and a grid change. Decode steps launched as graphs must give the same logits bit
// for bit, and the same routing records, as stream launches: through run() (logits and routing to the
// host) and through enqueueDecode(). A forward on the legacy default stream, which cannot be captured,
// falls back to stream launches and gives the same logits. Skipped without a device.
// Dimension letters: V vocab.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_buffer.h"
#include "engine/cuda/device_model.h"
#include "engine/cuda/device_state.h"
#include "engine/model/model.h"
#include "gpu/gpu_fixtures.h"
#include "kernels/cuda/device.h"

namespace fs = std::filesystem;
using namespace folio;
using namespace folio::engine;

namespace {

constexpr int64_t kPrompt = 40;        // prefilled before decoding
constexpr int64_t kRunDecode = 72;     // positions 40 … 111 through run()
constexpr int64_t kQueuedDecode = 28;  // positions 112 … 139 through enqueueDecode()
constexpr int64_t kChunk = 64;

bool haveDevice() { return kernels::cuda::deviceCount() > 0; }

// Fixtures with at least one softmax layer, by name.
std::vector<std::string> softmaxFixtures() {
  const fs::path root = test::gpuFixturesDir();
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / "golden", ec)) {
    const fs::path model = root / "models" / e.path().filename();
    if (!e.is_directory() || !fs::exists(model)) continue;
    auto m = Model::load(model);
    if (!m.ok()) continue;  // the golden tests report unloadable fixtures
    const auto& types = m.value()->config().layer_types;
    if (std::find(types.begin(), types.end(), AttnType::Softmax) != types.end())
      names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<int32_t> promptIds(const std::string& name) {
  std::ifstream in(test::gpuFixturesDir() / "golden" / name / "prompt.json");
  const nlohmann::json parsed = nlohmann::json::parse(in);
  std::vector<int32_t> ids;
  for (const auto& v : parsed["ids"]) ids.push_back(v.get<int32_t>());
  return ids;
}

struct Record {
  int64_t position;
  int layer;
  std::vector<ExpertChoice> choices;
};

struct RecordingSink : RoutingSink {
  std::vector<Record> records;
  void onRouting(int64_t position, int layer, const ExpertChoice* c, int n) override {
    records.push_back({position, layer, std::vector<ExpertChoice>(c, c + n)});
  }
};

bool sameRecords(const std::vector<Record>& a, const std::vector<Record>& b, std::string& why) {
  if (a.size() != b.size()) {
    why = std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " records";
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    bool same = a[i].position == b[i].position && a[i].layer == b[i].layer &&
                a[i].choices.size() == b[i].choices.size();
    for (size_t j = 0; same && j < a[i].choices.size(); ++j)
      same = a[i].choices[j].expert == b[i].choices[j].expert && a[i].choices[j].weight == b[i].choices[j].weight;
    if (!same) {
      why = "record " + std::to_string(i) + " (position " + std::to_string(a[i].position) + ", layer " +
            std::to_string(a[i].layer) + ") differs";
      return false;
    }
  }
  return true;
}

// One forward pass with its own state and stream (or the legacy default stream, which cannot be captured).
struct Decoder {
  Decoder(const std::shared_ptr<const cuda::DeviceModel>& w, int64_t capacity, bool graphs, bool legacy_stream = false)
      : stream(legacy_stream ? cudaStreamLegacy : own.get()),
        state(w->config(), capacity, cuda::kvCacheDtypeFor(*w)),
        forward(w, kChunk, stream),
        V(w->config().vocab_size) {
    forward.setDecodeGraphs(graphs);
    aggregate.reset(w->config().num_layers, w->config().num_experts);
  }

  // logits of the last token of each call, [calls, V]
  std::vector<float> logits;
  RecordingSink sink;
  RoutingAggregate aggregate;

  void prefill(std::span<const int32_t> ids) {
    std::vector<float> last(static_cast<size_t>(V));
    for (size_t t0 = 0; t0 < ids.size(); t0 += kChunk) {
      const auto part = ids.subspan(t0, std::min<size_t>(kChunk, ids.size() - t0));
      forward.run(state, pos, part, /*decode=*/false, nullptr, last.data(), ForwardRouting{&sink, &aggregate, 1.0});
      pos += static_cast<int64_t>(part.size());
    }
  }
  // every other step also asks for all_logits (the other host path of run())
  void decode(int32_t id, bool all_logits) {
    std::vector<float> last(static_cast<size_t>(V)), all(static_cast<size_t>(V), -1.0f);
    forward.run(state, pos++, std::span(&id, 1), /*decode=*/true, all_logits ? all.data() : nullptr, last.data(),
                ForwardRouting{&sink, &aggregate, 1.0});
    if (all_logits) {
      EXPECT_EQ(0, std::memcmp(all.data(), last.data(), last.size() * sizeof(float)));
    }
    logits.insert(logits.end(), last.begin(), last.end());
  }
  void enqueueDecode(int32_t id) {
    forward.enqueueDecode(state, pos++, id);
    std::vector<float> last(static_cast<size_t>(V));
    FOLIO_CUDA_CHECK(cudaMemcpyAsync(last.data(), forward.deviceLogits(), last.size() * sizeof(float),
                                     cudaMemcpyDeviceToHost, stream));
    FOLIO_CUDA_CHECK(cudaStreamSynchronize(stream));
    logits.insert(logits.end(), last.begin(), last.end());
  }

  cuda::CudaStream own;
  cudaStream_t stream;
  cuda::DeviceState state;
  cuda::CudaForward forward;
  int64_t V;
  int64_t pos = 0;
};

// First differing logit as "step s, id v: a vs b", or empty when bit-identical.
std::string firstDifference(const std::vector<float>& a, const std::vector<float>& b, int64_t V) {
  if (a.size() != b.size()) return std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " logits";
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0)
      return "step " + std::to_string(int64_t(i) / V) + ", id " + std::to_string(int64_t(i) % V) + ": " +
             std::to_string(a[i]) + " vs " + std::to_string(b[i]);
  }
  return {};
}

class CudaDecodeGraphs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!haveDevice()) GTEST_SKIP() << "no CUDA device";
    auto m = Model::load(test::gpuFixturesDir() / "models" / GetParam());
    ASSERT_TRUE(m.ok()) << m.error().message;
    model_ = m.value();
    auto w = cuda::DeviceModel::upload(*model_, 0);
    ASSERT_TRUE(w.ok()) << w.error().message;
    weights_ = w.value();
    ids_ = promptIds(GetParam());
    ASSERT_GE(static_cast<int64_t>(ids_.size()), kPrompt + kRunDecode + kQueuedDecode);
  }

  // prefill, decode through run(), then queued decode steps
  void drive(Decoder& d) {
    const std::span<const int32_t> ids(ids_);
    d.prefill(ids.first(kPrompt));
    for (int64_t t = kPrompt; t < kPrompt + kRunDecode; ++t) d.decode(ids[static_cast<size_t>(t)], t % 2 == 1);
    for (int64_t t = kPrompt + kRunDecode; t < kPrompt + kRunDecode + kQueuedDecode; ++t)
      d.enqueueDecode(ids[static_cast<size_t>(t)]);
  }

  int64_t capacity() const { return kPrompt + kRunDecode + kQueuedDecode; }

  std::shared_ptr<const Model> model_;
  std::shared_ptr<const cuda::DeviceModel> weights_;
  std::vector<int32_t> ids_;
};

TEST_P(CudaDecodeGraphs, GraphsGiveTheSameLogitsAndRoutingAsStreamLaunches) {
  const int64_t V = model_->config().vocab_size;
  Decoder stream_a(weights_, capacity(), /*graphs=*/false), stream_b(weights_, capacity(), false);
  Decoder graphs(weights_, capacity(), /*graphs=*/true);
  drive(stream_a);
  drive(stream_b);
  drive(graphs);
  // stream launches agree with themselves first, so a difference below is the graph's
  ASSERT_EQ(firstDifference(stream_a.logits, stream_b.logits, V), "") << "stream launches are not deterministic";
  EXPECT_EQ(stream_a.forward.decodeGraphLaunches(), 0);
  EXPECT_TRUE(graphs.forward.decodeGraphsActive())
      << "decode fell back to stream launches: " << graphs.forward.decodeGraphFailure();
  EXPECT_EQ(graphs.forward.decodeGraphLaunches(), kRunDecode + kQueuedDecode);
  // at least once, and again where the shape changes (the merge kernel at 65 rows, routing copies
  // dropped for enqueueDecode); an update failing every token would show as one per step
  EXPECT_GE(graphs.forward.decodeGraphInstantiations(), 1);
  EXPECT_LE(graphs.forward.decodeGraphInstantiations(), 8);
  std::printf("[ gpu ] %-32s %lld graph launches, %lld instantiations\n", GetParam().c_str(),
              static_cast<long long>(graphs.forward.decodeGraphLaunches()),
              static_cast<long long>(graphs.forward.decodeGraphInstantiations()));
  ASSERT_EQ(graphs.logits.size(), static_cast<size_t>((kRunDecode + kQueuedDecode) * V));
  EXPECT_EQ(firstDifference(graphs.logits, stream_a.logits, V), "");
  std::string why;
  EXPECT_FALSE(stream_a.sink.records.empty());
  EXPECT_TRUE(sameRecords(graphs.sink.records, stream_a.sink.records, why)) << why;
  EXPECT_EQ(graphs.aggregate.counts, stream_a.aggregate.counts);
  EXPECT_EQ(graphs.aggregate.experts_evaluated, stream_a.aggregate.experts_evaluated);
}

// Switching graphs off and on again mid-sequence changes nothing either.
TEST_P(CudaDecodeGraphs, GraphsCanBeSwitchedMidSequence) {
  const int64_t V = model_->config().vocab_size;
  Decoder plain(weights_, capacity(), /*graphs=*/false), mixed(weights_, capacity(), /*graphs=*/true);
  const std::span<const int32_t> ids(ids_);
  plain.prefill(ids.first(kPrompt));
  mixed.prefill(ids.first(kPrompt));
  int64_t graph_steps = 0;
  for (int64_t t = kPrompt; t < capacity(); ++t) {
    const bool on = (t / 10) % 2 == 0;
    graph_steps += on;
    mixed.forward.setDecodeGraphs(on);
    plain.decode(ids[static_cast<size_t>(t)], false);
    mixed.decode(ids[static_cast<size_t>(t)], false);
  }
  EXPECT_EQ(mixed.forward.decodeGraphLaunches(), graph_steps);
  mixed.forward.setDecodeGraphs(true);
  EXPECT_TRUE(mixed.forward.decodeGraphsActive()) << mixed.forward.decodeGraphFailure();
  EXPECT_EQ(firstDifference(mixed.logits, plain.logits, V), "");
}

// The legacy default stream cannot be captured: the first decode step falls back to stream launches
// for good, with no error, and the logits are those of a forward without graphs.
TEST_P(CudaDecodeGraphs, UncapturableStreamFallsBackToStreamLaunches) {
  const int64_t V = model_->config().vocab_size;
  Decoder plain(weights_, capacity(), /*graphs=*/false);
  Decoder legacy(weights_, capacity(), /*graphs=*/true, /*legacy_stream=*/true);
  EXPECT_TRUE(legacy.forward.decodeGraphsActive());
  const std::span<const int32_t> ids(ids_);
  for (int64_t t = 0; t < 48; ++t) {  // decode from position 0: no cuBLAS (prefill) on the legacy stream
    plain.decode(ids[static_cast<size_t>(t)], false);
    legacy.decode(ids[static_cast<size_t>(t)], false);
  }
  legacy.enqueueDecode(ids[48]);
  plain.enqueueDecode(ids[48]);
  EXPECT_FALSE(legacy.forward.decodeGraphsActive());
  EXPECT_NE(legacy.forward.decodeGraphFailure().find("cudaStreamBeginCapture"), std::string::npos)
      << legacy.forward.decodeGraphFailure();
  EXPECT_EQ(legacy.forward.decodeGraphLaunches(), 0);
  EXPECT_EQ(cudaGetLastError(), cudaSuccess);
  EXPECT_EQ(firstDifference(legacy.logits, plain.logits, V), "");
  std::string why;
  EXPECT_TRUE(sameRecords(legacy.sink.records, plain.sink.records, why)) << why;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CudaDecodeGraphs, ::testing::ValuesIn(softmaxFixtures()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// Both checkpoint kinds take part: fp32 (fp32 KV cache, fp32 products) and bf16.
TEST(CudaDecodeGraphsFixtures, Fp32AndBf16WithSoftmaxLayers) {
  bool f32 = false, bf16 = false;
  for (const std::string& n : softmaxFixtures()) {
    f32 |= n.find("-f32-") != std::string::npos;
    bf16 |= n.find("-bf16-") != std::string::npos;
  }
  EXPECT_TRUE(f32 && bf16) << "fixtures at " << test::gpuFixturesDir();
}

}  // namespace
