// The CUDA backend is a plugin (engine/model/cuda_plugin.h): the `folio` executable links no CUDA
// library, so it starts where there is none; when the plugin cannot be loaded, a CUDA request fails
// naming the plugin and the loader's reason, and Auto runs on the CPU. A file that is not a library,
// named by FOLIO_CUDA_PLUGIN, stands in for a plugin whose CUDA libraries are missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace folio::test
