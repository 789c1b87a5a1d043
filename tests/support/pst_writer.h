// Writes Outlook mail stores (.pst, [MS-PST]; Unicode, or ANSI; or an Outlook 2013+ offline store with 4 KiB
// pages, blocks up to 64 KiB and deflated blocks, as libpff's PFF format document describes it) for tests and
// tools: folders, messages with plain and HTML bodies, recipients, attachments (files, and attached messages),
// items of other classes (appointments, contacts, tasks) with named properties and the name-to-id map,
// optional compressible ("permute") encryption, and values large enough to need several blocks (XBLOCK data
// trees) and tables whose rows live in a subnode. Blocks are streamed to the output as messages are added, so
// a store of several GiB is written without holding it.
//
// Checked against readpst (pst-utils) and pffexport (pff-tools): tools/pst/compare_pst.py.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ingest/mail/pst_crypt.h"

namespace folio::test {

struct PstRecipientSpec {
  std::string name, address;
  int type = 1;  // 1 To, 2 Cc, 3 Bcc
};

struct PstMessageSpec;

// A property beyond those the spec's fields write: a tag (a contact's company, phone numbers), or a
// named property (an appointment's start, a contact's e-mail address) that the store's name-to-id map
// gives an id.
struct PstPropSpec {
  std::string set;    // a named property's property set GUID ("00062002-0000-0000-C000-000000000046"); "" for a tag
  uint32_t id = 0;    // the tag's id, or the named property's LID
  uint16_t type = 0;  // 0x001F text, 0x0040 time, 0x0003 integer, 0x000B boolean, 0x0005 double, 0x0102 binary
  std::string text;    // text, or a binary's bytes
  uint64_t value = 0;  // a time, integer or boolean; a double's bits
  std::vector<std::string> values;  // 0x1102: binaries (a distribution list's members)
};
PstPropSpec pstText(const std::string& set, uint32_t id, const std::string& text);
PstPropSpec pstTime(const std::string& set, uint32_t id, uint64_t filetime);
PstPropSpec pstInt(const std::string& set, uint32_t id, uint32_t value);
PstPropSpec pstBool(const std::string& set, uint32_t id, bool value);
PstPropSpec pstDouble(const std::string& set, uint32_t id, double value);
PstPropSpec pstBinary(const std::string& set, uint32_t id, const std::string& bytes);
PstPropSpec pstBinaries(const std::string& set, uint32_t id, std::vector<std::string> values);

struct PstAttachmentSpec {
  std::string file_name, mime_type, data;
  std::shared_ptr<PstMessageSpec> message;  // an attached message instead of a file
};

struct PstMessageSpec {
  std::string message_class = "IPM.Note";
  std::string subject, from_name, from_address, body, html;
  uint64_t delivery_time = 0;  // FILETIME; also the submit time
  std::vector<PstRecipientSpec> recipients;
  std::vector<PstAttachmentSpec> attachments;
  std::vector<PstPropSpec> props;
};

struct PstFolderSpec {
  std::string name;
  std::vector<PstMessageSpec> messages;
  std::vector<PstFolderSpec> folders;
};

// The store's name-to-id map (node 0x61): Outlook writes one in every store.
enum class PstNameMap { Written, Missing, Damaged };

struct PstWriterOptions {
  bool permute = false;  // NDB_CRYPT_PERMUTE (the default Outlook writes)
  ingest::mail::PstCrypt crypt = ingest::mail::PstCrypt::None;  // or NDB_CRYPT_CYCLIC
  bool unicode = true;   // false: the ANSI format of Outlook 97-2002 (32-bit ids, 2 GB at most)
  std::string store_name = "Personal Folders";
  uint32_t password_crc = 0;  // PR_PST_PASSWORD: Outlook asks for a password; the data is not encrypted by it
  PstNameMap name_map = PstNameMap::Written;  // Damaged: its entry stream cut mid-entry
  // The Outlook 2013+ offline store format (wVer 36, Unicode; client signature "SO"): 4 KiB B-tree pages,
  // blocks in steps of 512 bytes, each stored deflated (a zlib stream) where that is smaller.
  bool page4k = false;
  size_t block_data = 0;   // 4 KiB pages: a block's most data (0: 65,512, the format's most)
  bool compress = true;    // 4 KiB pages: deflate data blocks
  // 4 KiB pages: deflate internal blocks (XBLOCKs, subnode blocks) too. libpff 20180714 (pffexport) reads a
  // deflated XBLOCK at the top of a data tree as if it had its stored size, and fails.
  bool compress_internal = false;
  bool scramble_after_compress = false;  // 4 KiB pages: scramble the deflated stream (else deflate the scrambled data)
  size_t page_entries = 0;  // at most this many entries in a B-tree page (0: as many as fit): deep trees from few blocks
};

// A FILETIME for a UTC date and time.
uint64_t fileTime(int year, int month, int day, int hour, int minute, int second = 0);

class PstWriter {
 public:
  PstWriter(std::ostream& out, PstWriterOptions options = {});
  ~PstWriter();
  // A folder under `parent` (0: the top of the store); its node id.
  uint32_t addFolder(uint32_t parent, const std::string& name);
  void addMessage(uint32_t folder, const PstMessageSpec& message);
  // Writes the folders' tables, the B-trees and the header.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A whole store in memory: `folders` under the top of the store.
std::string makePst(const std::vector<PstFolderSpec>& folders, const PstWriterOptions& options = {});

}  // namespace folio::test
