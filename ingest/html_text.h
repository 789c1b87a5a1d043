// HTML -> text: the visible text content with headings kept as heading lines ("## Heading").
#pragma once

#include <string>
#include <string_view>

namespace folio::ingest {

struct HtmlText {
  std::string text;   // UTF-8, LF lines; invalid bytes replaced by U+FFFD
  std::string title;  // the <title> element, entities decoded
};

// Drops tags, comments, <script>, <style>, <template> and <head> content (except the title), decodes
// character references (named, decimal, hex), collapses whitespace outside <pre>, puts block elements
// on their own lines and writes h1..h6 as "#".."######" heading lines. Never fails: malformed markup
// is read as leniently as a browser would (an unterminated tag ends the text).
HtmlText htmlToText(std::string_view html);

}  // namespace folio::ingest
