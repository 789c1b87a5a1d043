// The lexical layer of the code chunker: a copy of the source with the contents of comments, string
// and character literals blanked out (same length, newlines kept), so that the structural pass can
// count braces and read headers without being confused by "{" in a string or "}" in a comment.
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

enum class CodeFamily { CLike, Java, JavaScript, Go, Rust, Python, Other };

CodeFamily codeFamily(std::string_view language);

// Comment bodies become spaces (the comment markers too); string/char literal bodies become spaces
// with the quotes kept; C/C++ preprocessor lines (with continuations) become spaces. Understands
// escapes, C++ raw strings R"d(...)d", Rust raw strings r#"..."#, nested Rust block comments, Rust
// lifetimes ('a is not a char literal), C++14 digit separators (1'000), Java text blocks, Go raw
// strings, JavaScript template literals with nested ${...} and regular-expression literals, Python
// triple-quoted strings and string prefixes. With `language` "php": the HTML outside <?php … ?>
// blanked, heredocs and nowdocs (<<<EOT … EOT), '#' comments anywhere (not #[attributes]) and strings
// across lines; "dart": '''…''' and
// """…""" strings. Unterminated constructs run to the end of the text.
std::string maskCode(std::string_view source, CodeFamily family, std::string_view language = {});

}  // namespace folio::ingest
