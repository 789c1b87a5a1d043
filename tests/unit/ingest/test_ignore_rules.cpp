#include <gtest/gtest.h>

#include "ingest/ignore_rules.h"

namespace folio::ingest {
namespace {

IgnoreMatch m(std::string_view rules, std::string_view path, bool is_dir = false, std::string base = {}) {
  return matchIgnoreFile(parseIgnoreFile(rules, std::move(base)), path, is_dir);
}

TEST(IgnoreRules, ParsesCommentsBlankNegationDirOnlyAnchored) {
  const IgnoreFile f = parseIgnoreFile("# comment\n\n*.o\n!keep.o\nbuild/\n/top\nsrc/gen\n\\#hash\n\\!bang\n", "sub");
  ASSERT_EQ(f.rules.size(), 7u);
  EXPECT_EQ(f.base, "sub");
  EXPECT_EQ(f.rules[0].pattern, "*.o");
  EXPECT_FALSE(f.rules[0].anchored);
  EXPECT_TRUE(f.rules[1].negated);
  EXPECT_EQ(f.rules[1].pattern, "keep.o");
  EXPECT_TRUE(f.rules[2].dir_only);
  EXPECT_FALSE(f.rules[2].anchored);
  EXPECT_EQ(f.rules[3].pattern, "top");
  EXPECT_TRUE(f.rules[3].anchored);
  EXPECT_TRUE(f.rules[4].anchored);
  EXPECT_EQ(f.rules[5].pattern, "\\#hash");
  EXPECT_EQ(f.rules[6].line, 9);
}

TEST(IgnoreRules, UnanchoredMatchesAtAnyDepth) {
  EXPECT_EQ(m("*.o\n", "a.o"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("*.o\n", "x/y/a.o"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("*.o\n", "x/y/a.c"), IgnoreMatch::None);
  EXPECT_EQ(m("build\n", "x/build", true), IgnoreMatch::Ignored);
}

TEST(IgnoreRules, AnchoredMatchesRelativeToBase) {
  EXPECT_EQ(m("/top\n", "top"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("/top\n", "x/top"), IgnoreMatch::None);
  EXPECT_EQ(m("src/gen\n", "src/gen", true), IgnoreMatch::Ignored);
  EXPECT_EQ(m("src/gen\n", "x/src/gen", true), IgnoreMatch::None);
  // Rules of a nested file apply below its directory only.
  EXPECT_EQ(m("/top\n", "sub/top", false, "sub"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("/top\n", "top", false, "sub"), IgnoreMatch::None);
  EXPECT_EQ(m("*.log\n", "subway/a.log", false, "sub"), IgnoreMatch::None);
}

TEST(IgnoreRules, DirOnlyDoesNotMatchFiles) {
  EXPECT_EQ(m("build/\n", "build", true), IgnoreMatch::Ignored);
  EXPECT_EQ(m("build/\n", "build", false), IgnoreMatch::None);
}

TEST(IgnoreRules, NegationLastMatchWins) {
  EXPECT_EQ(m("*.o\n!keep.o\n", "keep.o"), IgnoreMatch::Included);
  EXPECT_EQ(m("!keep.o\n*.o\n", "keep.o"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("\\!bang\n", "!bang"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("\\#hash\n", "#hash"), IgnoreMatch::Ignored);
}

TEST(IgnoreRules, DoubleStar) {
  EXPECT_TRUE(globMatch("**/foo", "foo"));
  EXPECT_TRUE(globMatch("**/foo", "a/b/foo"));
  EXPECT_TRUE(globMatch("abc/**", "abc/x/y"));
  EXPECT_FALSE(globMatch("abc/**", "abc"));
  EXPECT_TRUE(globMatch("a/**/b", "a/b"));
  EXPECT_TRUE(globMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(globMatch("a/**/b", "a/x/y/c"));
  EXPECT_EQ(m("**/logs\n", "deep/er/logs", true), IgnoreMatch::Ignored);
  EXPECT_EQ(m("docs/**/*.pdf\n", "docs/a/b/c.pdf"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("docs/**/*.pdf\n", "docs/c.pdf"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("docs/**/*.pdf\n", "other/docs/c.pdf"), IgnoreMatch::None);
}

TEST(IgnoreRules, StarAndQuestionDoNotCrossSlash) {
  EXPECT_TRUE(globMatch("a/*.c", "a/x.c"));
  EXPECT_FALSE(globMatch("a/*.c", "a/b/x.c"));
  EXPECT_FALSE(globMatch("a?b", "a/b"));
  EXPECT_TRUE(globMatch("a?b", "axb"));
  EXPECT_TRUE(globMatch("a*/x", "abc/x"));
  EXPECT_FALSE(globMatch("a*/x", "abc/d/x"));
}

TEST(IgnoreRules, CharacterClassesAndEscapes) {
  EXPECT_TRUE(globMatch("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(globMatch("file[0-9].txt", "filex.txt"));
  EXPECT_TRUE(globMatch("file[!0-9].txt", "filex.txt"));
  EXPECT_TRUE(globMatch("file[^0-9].txt", "filex.txt"));
  EXPECT_TRUE(globMatch("[]]", "]"));
  EXPECT_TRUE(globMatch("[[:digit:]][[:alpha:]]", "7q"));
  EXPECT_FALSE(globMatch("[[:digit:]]", "q"));
  EXPECT_FALSE(globMatch("[[:nope:]]", "q"));  // malformed class matches nothing
  EXPECT_FALSE(globMatch("[abc", "a"));        // unterminated class matches nothing
  EXPECT_TRUE(globMatch("\\*", "*"));
  EXPECT_FALSE(globMatch("\\*", "x"));
  EXPECT_TRUE(globMatch("a\\[b", "a[b"));
  EXPECT_FALSE(globMatch("a[/]b", "a/b"));
}

TEST(IgnoreRules, TrailingSpacesTrimmedUnlessEscaped) {
  EXPECT_EQ(m("foo   \n", "foo"), IgnoreMatch::Ignored);
  EXPECT_EQ(m("foo\\ \n", "foo "), IgnoreMatch::Ignored);
  EXPECT_EQ(m("foo\\ \n", "foo"), IgnoreMatch::None);
  EXPECT_EQ(m("crlf\r\n", "crlf"), IgnoreMatch::Ignored);
}

TEST(IgnoreRules, StackPrecedenceAndParentExclusion) {
  IgnoreStack stack;
  stack.push(IgnoreStack::Source::Exclude, parseIgnoreFile("*.tmp\n"));
  stack.push(IgnoreStack::Source::GitIgnore, parseIgnoreFile("*.log\nout/\n"));
  stack.push(IgnoreStack::Source::GitIgnore, parseIgnoreFile("!important.log\n!keep.tmp\n", "sub"));
  stack.push(IgnoreStack::Source::Ignore, parseIgnoreFile("sub/secret.txt\n"));
  EXPECT_TRUE(stack.isIgnored("a.tmp", false));
  EXPECT_TRUE(stack.isIgnored("a.log", false));
  EXPECT_TRUE(stack.isIgnored("sub/x.log", false));
  EXPECT_FALSE(stack.isIgnored("sub/important.log", false));  // deeper .gitignore re-includes
  EXPECT_FALSE(stack.isIgnored("sub/keep.tmp", false));       // .gitignore beats info/exclude
  EXPECT_TRUE(stack.isIgnored("sub/secret.txt", false));      // .ignore has the highest precedence
  EXPECT_TRUE(stack.isIgnored("out/file.txt", false));        // parent directory excluded
  stack.push(IgnoreStack::Source::GitIgnore, parseIgnoreFile("!file.txt\n", "out"));
  EXPECT_TRUE(stack.isIgnored("out/file.txt", false));        // cannot re-include under an excluded dir
  stack.popBase("sub");
  EXPECT_TRUE(stack.isIgnored("sub/important.log", false));
}

TEST(IgnoreRules, PathologicalPatternsTerminate) {
  const std::string stars(64, '*');
  EXPECT_FALSE(globMatch("a*a*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
  EXPECT_TRUE(globMatch(stars, std::string(100, 'x')));
  EXPECT_FALSE(globMatch("**/**/**/**/**/**/z", "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
}

}  // namespace
}  // namespace folio::ingest
