#include <gtest/gtest.h>

#include <utility>

#include "ingest/source_kind.h"

using folio::ingest::classifySource;
using folio::ingest::SourceKind;

TEST(SourceKind, ByExtension) {
  EXPECT_EQ(classifySource("a/b/contract.PDF").kind, SourceKind::Pdf);
  EXPECT_EQ(classifySource("notes.md").kind, SourceKind::Markdown);
  EXPECT_EQ(classifySource("page.htm").kind, SourceKind::Html);
  EXPECT_EQ(classifySource("x.txt").kind, SourceKind::PlainText);
  EXPECT_EQ(classifySource("main.cpp").language, "cpp");
  EXPECT_EQ(classifySource("lib.rs").language, "rust");
  EXPECT_EQ(classifySource("app.tsx").language, "typescript");
  EXPECT_EQ(classifySource("tool.py").language, "python");
  EXPECT_EQ(classifySource("src/CMakeLists.txt").language, "cmake");
  EXPECT_EQ(classifySource("image.png").kind, SourceKind::Image);
  EXPECT_EQ(classifySource("image.heic").kind, SourceKind::Unknown);
  EXPECT_EQ(classifySource("noext").kind, SourceKind::Unknown);
}

TEST(SourceKind, MoreCodeLanguages) {
  const std::pair<const char*, const char*> cases[] = {
      {"App.kt", "kotlin"},          {"build.gradle.kts", "kotlin"}, {"Main.scala", "scala"},
      {"Program.cs", "csharp"},      {"View.m", "objc"},             {"View.mm", "objc"},
      {"main.swift", "swift"},       {"app.dart", "dart"},           {"index.php", "php"},
      {"lib/a.rb", "ruby"},          {"tasks/db.rake", "ruby"},      {"Rakefile", "ruby"},
      {"Gemfile", "ruby"},           {"x.gemspec", "ruby"},          {"init.lua", "lua"},
      {"tests/unit/list.tcl", "tcl"}, {"tool.pl", "perl"},           {"Lib.pm", "perl"},
      {"run.bash", "shell"},         {"rc.zsh", "shell"},            {"run.sh", "shell"},
      {"Build.ps1", "powershell"},   {"schema.sql", "sql"},          {"SCHEMA.SQL", "sql"},
      {"api.proto", "proto"},        {"site.css", "css"},            {"site.scss", "css"},
      {"theme.less", "css"},         {"cfg.cjs", "javascript"},      {"mod.mts", "typescript"},
      {"mod.cts", "typescript"},     {"vec.inl", "cpp"},             {"vec.ipp", "cpp"},
      {"vec.tpp", "cpp"},            {"Dockerfile", "dockerfile"},   {"Dockerfile.dev", "dockerfile"},
      {"build.gradle", "groovy"},    {"Jenkins.groovy", "groovy"},   {"fit.r", "r"},
      {"fit.R", "r"},                {"solve.jl", "julia"},          {"app.ex", "elixir"},
      {"app_test.exs", "elixir"},    {"Main.hs", "haskell"},         {"srv.erl", "erlang"},
      {"core.clj", "clojure"},       {"GNUmakefile", "make"},        {"rules.mk", "make"},
      {"Makefile", "make"},          {"deps.cmake", "cmake"},
  };
  for (const auto& [name, language] : cases) {
    SCOPED_TRACE(name);
    EXPECT_EQ(classifySource(name).kind, SourceKind::Code);
    EXPECT_EQ(classifySource(name).language, language);
  }
  // Still what they were: prose and data, and names that only look like code.
  EXPECT_EQ(classifySource("notes.txt").kind, SourceKind::PlainText);
  EXPECT_EQ(classifySource("data.json").language, "json");
  EXPECT_EQ(classifySource("Dockerfile.md").kind, SourceKind::Markdown);
  EXPECT_EQ(classifySource("app.vue").kind, SourceKind::Unknown);
  EXPECT_EQ(classifySource("rakefile.txt").kind, SourceKind::PlainText);
}
