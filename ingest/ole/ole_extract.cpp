#include "ingest/ole/ole_extract.h"

#include "ingest/mail/msg_extract.h"
#include "ingest/office/doc_extract.h"
#include "ingest/office/ppt_extract.h"
#include "ingest/office/xls_extract.h"
#include "ingest/ole/compound_file.h"

namespace folio::ingest::ole {

Result<ExtractedText> extractCompoundFile(std::string_view bytes, const std::string& name, uint64_t max_stream_bytes,
                                          const mail::AttachmentReader& attachments) {
  auto file = CompoundFile::open(bytes, name);
  if (!file.ok()) return file.error();
  if (file->find("__properties_version1.0") || file->find("__substg1.0_0037001F") || file->find("__substg1.0_0037001E")) {
    return mail::extractMsg(*file, name, max_stream_bytes, attachments);
  }
  if (file->find("WordDocument")) return office::extractDoc(*file, name, max_stream_bytes);
  if (file->find("EncryptedPackage")) {
    return badInput(name + ": a password-protected Office file: remove the password (or save it unprotected) to read it");
  }
  if (file->find("Workbook") || file->find("Book")) return office::extractXls(*file, name, max_stream_bytes);
  if (file->find("PowerPoint Document")) return office::extractPpt(*file, name, max_stream_bytes);
  return badInput(name + ": an OLE compound file that holds neither a Word document nor an Outlook message");
}

}  // namespace folio::ingest::ole
