#include "ingest/office/doc_lists.h"

#include <algorithm>
#include <array>
#include <vector>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "ingest/charset.h"
#include "ingest/office/doc_bytes.h"
#include "ingest/office/doc_fonts.h"
#include "ingest/office/doc_properties.h"

namespace folio::ingest::office {
namespace {

constexpr size_t kLstf = 28, kLvlf = 28, kLfo = 16, kLfoLvl = 8;
constexpr uint16_t kCRgFtc0 = 0x4A4F;

NumberFormat formatOf(uint8_t nfc) {
  switch (nfc) {
    case 0: return NumberFormat::Decimal;
    case 1: return NumberFormat::UpperRoman;
    case 2: return NumberFormat::LowerRoman;
    case 3: return NumberFormat::UpperLetter;
    case 4: return NumberFormat::LowerLetter;
    case 5: return NumberFormat::Ordinal;
    case 22: return NumberFormat::DecimalZero;
    case 23: return NumberFormat::Bullet;
    case 255: return NumberFormat::None;
    default: return NumberFormat::Decimal;  // the many national formats read as their decimal value
  }
}

// One LVL at `at`, advancing `at` past it; nullopt when cut short.
std::optional<NumberingLevel> readLevel(const DocBytes& b, uint64_t& at, const DocFonts& fonts) {
  if (!b.has(at, kLvlf + 2)) return std::nullopt;
  const uint64_t lvlf = at;
  NumberingLevel level;
  level.start = std::clamp(b.i32(lvlf), 0, 1000000);
  level.format = formatOf(b.u8(lvlf + 4));
  const uint8_t flags = b.u8(lvlf + 5);
  level.legal = (flags & 0x04) != 0;
  // fNoRestart: restarts only after levels above ilvlRestartLim (0: never), as w:lvlRestart counts.
  level.restart_after = (flags & 0x08) ? b.u8(lvlf + 26) : -1;
  level.space_after = b.u8(lvlf + 15) != 2;  // ixchFollow: tab, space or nothing
  std::array<bool, 256> placeholder{};
  for (int i = 0; i < 9; ++i) {
    const uint8_t pos = b.u8(lvlf + 6 + i);  // 1-based positions in the number text
    if (pos == 0) break;
    placeholder[pos] = true;
  }
  at += kLvlf + b.u8(lvlf + 25);  // grpprlPapx
  // The label's font (sprmCRgFtc0), for bullets.
  bool symbol = false;
  forEachSprm(b.sub(at, b.u8(lvlf + 24)), [&](uint16_t sprm, std::string_view op) {
    const uint16_t ftc = DocBytes{op}.u16(0);
    if (sprm == kCRgFtc0) symbol = fonts.symbolFont(ftc) != SymbolFont::None;
  });
  at += b.u8(lvlf + 24);  // grpprlChpx
  if (!b.has(at, 2)) return std::nullopt;
  const uint16_t cch = b.u16(at);
  if (!b.has(at + 2, 2 * uint64_t{cch})) return std::nullopt;
  // The number text: a level's placeholder is the level's index (0..8) at a position listed above.
  for (uint16_t i = 0; i < cch; ++i) {
    const uint16_t c = b.u16(at + 2 + 2 * uint64_t{i});
    if (i + 1 < 256 && placeholder[i + 1] && c < 9) {
      level.text += '%';
      level.text += static_cast<char>('1' + c);
    } else {
      level.text += utf16leToUtf8(b.sub(at + 2 + 2 * uint64_t{i}, 2));
    }
  }
  at += 2 + 2 * uint64_t{cch};
  if (level.format == NumberFormat::Bullet && symbol) level.text = "•";
  return level;
}

}  // namespace

void readDocLists(std::string_view table, const DocFib& fib, DocxNumbering& numbering) {
  const DocBytes b{table};
  const FcLcb plf_lst = fib.at(DocFib::kPlfLst), plf_lfo = fib.at(DocFib::kPlfLfo);
  const DocFonts fonts = DocFonts::read(table, fib.at(DocFib::kSttbfFfn));
  if (plf_lst.lcb < 2 || !b.has(plf_lst.fc, 2)) return;
  const int16_t lists = b.i16(plf_lst.fc);
  if (lists <= 0 || !b.has(plf_lst.fc + 2, kLstf * uint64_t(lists))) return;
  // The levels of all lists follow the PlfLst, in list order.
  uint64_t at = plf_lst.fc + 2 + kLstf * uint64_t(lists);
  std::unordered_map<int32_t, std::string> by_lsid;
  for (int16_t i = 0; i < lists; ++i) {
    const uint64_t lstf = plf_lst.fc + 2 + kLstf * uint64_t(i);
    const int32_t lsid = b.i32(lstf);
    const bool simple = (b.u8(lstf + 26) & 0x01) != 0;
    std::array<std::optional<NumberingLevel>, 9> levels;
    bool complete = true;
    for (int l = 0; l < (simple ? 1 : 9); ++l) {
      levels[static_cast<size_t>(l)] = readLevel(b, at, fonts);
      if (!levels[static_cast<size_t>(l)]) {
        complete = false;
        break;
      }
      const uint16_t istd = b.u16(lstf + 8 + 2 * uint64_t(l));  // rgistdPara: the level's style
      if (istd != 0x0FFF) levels[static_cast<size_t>(l)]->style = std::to_string(istd);
    }
    const std::string id = std::to_string(lsid);
    numbering.addAbstract(id, levels);
    by_lsid.emplace(lsid, id);
    if (!complete) break;
  }

  if (plf_lfo.lcb < 4 || !b.has(plf_lfo.fc, 4)) return;
  const uint32_t lfos = b.u32(plf_lfo.fc);
  if (lfos > 0x7FFF || !b.has(plf_lfo.fc + 4, kLfo * uint64_t{lfos})) return;
  // The LFOs, then each one's LfoData: a CP and its level overrides.
  uint64_t data = plf_lfo.fc + 4 + kLfo * uint64_t{lfos};
  for (uint32_t i = 0; i < lfos; ++i) {
    const uint64_t lfo = plf_lfo.fc + 4 + kLfo * uint64_t{i};
    const auto list = by_lsid.find(b.i32(lfo));
    const uint8_t overrides = b.u8(lfo + 12);
    std::map<int, int> starts;
    std::map<int, NumberingLevel> formats;
    data += 4;
    bool complete = true;
    for (uint8_t k = 0; k < overrides && complete; ++k) {
      if (!b.has(data, kLfoLvl)) {
        complete = false;
        break;
      }
      const int start = std::clamp(b.i32(data), 0, 1000000);
      const uint32_t bits = b.u32(data + 4);
      const int level = static_cast<int>(bits & 0x0F);
      data += kLfoLvl;
      if (bits & 0x20) {  // fFormatting: a whole level follows
        auto lvl = readLevel(b, data, fonts);
        if (!lvl) complete = false;
        else if (level < 9) formats[level] = *lvl;
      } else if ((bits & 0x10) && level < 9) {  // fStartAt
        starts[level] = start;
      }
    }
    if (list != by_lsid.end()) numbering.addInstance(std::to_string(i + 1), list->second, std::move(starts), std::move(formats));
    if (!complete) break;
  }
}

}  // namespace folio::ingest::office
