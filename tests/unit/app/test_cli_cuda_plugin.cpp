// The CUDA backend is a plugin (engine/model/cuda_plugin.h): the `folio` executable links no CUDA
// library, so it starts where there is none; when the plugin cannot be loaded, a CUDA request fails
// naming the plugin and the loader's reason, and Auto runs on the CPU. A file that is not a library,
// named by FOLIO_CUDA_PLUGIN, stands in for a plugin whose CUDA libraries are missing; `folio devices`
// reports the same reason.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_process.h"

namespace folio::test {
namespace {

namespace fs = std::filesystem;

const std::string kModel = std::string(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

TEST(CudaPlugin, TheExecutableLinksNoCudaLibrary) {
  const auto r = runProcess({"/usr/bin/ldd", FOLIO_BINARY});  // every library it loads, not only its own
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* lib : {"libcudart", "libcublas", "libnccl", "libcuda."}) {
    EXPECT_EQ(r.out.find(lib), std::string::npos) << lib << " in\n" << r.out;
  }
}

TEST(CudaPlugin, AnUnloadablePluginFailsCudaNamingItAndAutoRunsOnTheCpu) {
  const fs::path fake = fs::temp_directory_path() / ("folio-fake-plugin-" + std::to_string(::getpid()) + ".so");
  std::ofstream(fake) << "not a shared library\n";
  const std::map<std::string, std::string> env{{"FOLIO_CUDA_PLUGIN", fake.string()}};
  const std::vector<std::string> base{FOLIO_BINARY, "generate", "--model", kModel, "--threads", "1",
                                      "--prompt-ids", "1,2,3", "--max-tokens", "2"};

  auto cuda = base;
  cuda.insert(cuda.end(), {"--backend", "cuda"});
  const auto refused = runProcess(cuda, env);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_FALSE(refused.signaled);
  EXPECT_NE(refused.err.find("CUDA backend requested but "), std::string::npos) << refused.err;
#if defined(FOLIO_HAVE_CUDA)
  EXPECT_NE(refused.err.find("its plugin " + fake.string() + " could not be loaded"), std::string::npos)
      << refused.err;
#endif

  auto automatic = base;
  automatic.insert(automatic.end(), {"--backend", "auto"});
  const auto ran = runProcess(automatic, env);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  fs::remove(fake);
}

TEST(CudaPlugin, DevicesReportsTheCpuAndWhyCudaCannotRun) {
  const fs::path fake = fs::temp_directory_path() / ("folio-fake-plugin-d-" + std::to_string(::getpid()) + ".so");
  std::ofstream(fake) << "not a shared library\n";
  const std::map<std::string, std::string> env{{"FOLIO_CUDA_PLUGIN", fake.string()}};
  const auto text = runProcess({FOLIO_BINARY, "devices"}, env);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("cpu: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("cuda: not available: "), std::string::npos) << text.out;
#if defined(FOLIO_HAVE_CUDA)
  EXPECT_NE(text.out.find("its plugin " + fake.string() + " could not be loaded"), std::string::npos) << text.out;
#else
  EXPECT_NE(text.out.find("no CUDA support"), std::string::npos) << text.out;
#endif

  const auto as_json = runProcess({FOLIO_BINARY, "devices", "--json"}, env);
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const auto j = nlohmann::json::parse(as_json.out);
  EXPECT_GE(j["cpu"]["threads"].get<int>(), 1);
  EXPECT_FALSE(j["cuda"]["available"].get<bool>());
  EXPECT_TRUE(j["cuda"]["devices"].empty());
  EXPECT_FALSE(j["cuda"]["reason"].get<std::string>().empty());
  fs::remove(fake);

  // without the stand-in: this machine's own answer, whatever it is, says why or lists devices
  const auto real = runProcess({FOLIO_BINARY, "devices", "--json"});
  ASSERT_EQ(real.exit_code, 0) << real.err;
  const auto r = nlohmann::json::parse(real.out);
  EXPECT_EQ(r["cuda"]["available"].get<bool>(), !r["cuda"]["devices"].empty());
  EXPECT_EQ(r["cuda"]["available"].get<bool>(), r["cuda"]["reason"].get<std::string>().empty());
}

}  // namespace
}  // namespace folio::test
