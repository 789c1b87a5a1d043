// The lexical layer of the line-oriented declaration finder (chunk_code_lines.h): like maskCode
// (chunk_code_scan.h), a copy of the source with comment and string bodies blanked (same length,
// newlines kept), for languages whose comments are '#', '--' or POD and whose strings include
// heredocs: Ruby, Lua, Tcl, Perl, shell, make, SQL, PowerShell, Dockerfile, Protocol Buffers, CSS and
// CMake. It also says which lines hold nothing but comments (the comment block above a declaration).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::ingest {

enum class LineLanguage { Ruby, Lua, Tcl, Perl, Shell, Make, Sql, PowerShell, Dockerfile, Proto, Css, CMake };

struct LineMask {
  std::string masked;              // comment bodies and markers, string and heredoc bodies as spaces
  std::vector<bool> comment_line;  // per line: comments only (no code, no string or heredoc text)
};

// Blanks: '#' comments where the language has them ('#' at a word start in shell and PowerShell, at a
// command start in Tcl, only at a line start in a Dockerfile, never after '$' in Perl), '--' (Lua, SQL),
// '//' (proto; SCSS/Less at a line start or after a space, so "url(http://x)" survives), block comments
// /* */ (SQL, proto, CSS), <# #> (PowerShell), --[[ ]] (Lua), #[[ ]] (CMake), Ruby =begin/=end and Perl
// POD at column 0; quoted strings (backslash escapes; the backquote in PowerShell), Lua and CMake long
// brackets [[ ]] / [==[ ]==], SQL dollar quotes $$ / $tag$, PowerShell here-strings @" "@, heredocs
// (<<EOF, <<-EOF, <<'EOF', <<~EOF in shell, Dockerfile, Ruby and Perl; several on one line), Ruby and
// Perl /regex/ literals after an operator, everything after __END__ / __DATA__ (Ruby, Perl), and a
// character escaped by a backslash outside strings ("\{" in Tcl). Not understood: Ruby %w()/%q{}
// literals, Perl q{}/qw()/s{}{} and regexes with other delimiters, PHP-style nowdocs; a quote inside
// them can open a string that runs to its line end (Tcl, Lua, proto, CSS) or to the next quote.
LineMask maskLines(std::string_view source, LineLanguage language);

}  // namespace folio::ingest
