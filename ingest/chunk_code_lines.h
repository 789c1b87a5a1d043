// Declarations of languages that delimit blocks by keywords or lines rather than by a C-like grammar
// (chunk_code_lines.cpp), for the code chunker (chunk_code.cpp), which lists them in the outline and
// packs them like the declarations of the brace languages.
#pragma once

#include <string_view>
#include <vector>

#include "ingest/chunk_code_decl.h"

namespace folio::ingest {

// The declarations of the text, in text order, nested where a container holds them (a Ruby class or
// module, a Tcl namespace, a Perl package, a PowerShell class, a proto message or service, a CSS @media
// block). `language` as in SourceType::language; the languages with a finder: ruby, lua, tcl, perl,
// shell, make, sql, powershell, dockerfile, proto, css, cmake. Empty for any other language and for a
// text without declarations.
std::vector<CodeDecl> findLineDecls(const TextIndex& index, std::string_view language);

}  // namespace folio::ingest
