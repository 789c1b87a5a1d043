// The two ways a PST or OST scrambles its data blocks ([MS-PST] 5.1, 5.2): NDB_CRYPT_PERMUTE
// ("compressible encryption", a byte substitution) and NDB_CRYPT_CYCLIC ("high encryption", keyed by
// the block's id). Neither is a secret: the tables are published. Internal blocks (XBLOCK, SLBLOCK…)
// and B-tree pages are never scrambled.
#pragma once

#include <cstdint>
#include <string>

namespace folio::ingest::mail {

enum class PstCrypt : uint8_t { None = 0, Permute = 1, Cyclic = 2 };

// Unscrambles a data block's bytes in place; `key` is the low 32 bits of the block's id (cyclic only).
void pstDecrypt(PstCrypt method, std::string& bytes, uint32_t key);
// Scrambles them as Outlook writes them (the test writer's side of pstDecrypt).
void pstEncrypt(PstCrypt method, std::string& bytes, uint32_t key);

}  // namespace folio::ingest::mail
