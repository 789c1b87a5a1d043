// Writes test mail stores with tests/support/pst_writer: `make_pst sample OUT.pst [--permute|--cyclic] [--ansi]` a small
// store with every kind of content the reader handles (for compare_pst.py), `make_pst large OUT.pst N`
// a store of N messages, `make_pst small OUT.pst [--permute]` a store under 64 KiB for the fuzz corpus, (each with a ~50 KiB attachment) for measuring time and memory.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "tests/support/pst_writer.h"

using namespace folio::test;

namespace {

PstMessageSpec sampleMessage(int i) {
  PstMessageSpec m;
  m.subject = "Re: draft SPA " + std::to_string(i);
  m.from_name = "Renée Dubois";
  m.from_address = "renee" + std::to_string(i) + "@example.com";
  m.delivery_time = fileTime(2026, 3, 1 + i % 28, 9, i % 60);
  m.recipients = {{"Legal Team", "legal@example.com", 1}, {"Ann Archer", "ann@example.com", 2}};
  if (i % 3 == 0) m.html = "<html><body><p>Clause 4.2 of deal " + std::to_string(i) + " is agreed.</p></body></html>";
  else m.body = "Clause 4.2 of deal " + std::to_string(i) + " is agreed.\r\nRegards, Renée";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s sample|small|large OUT.pst [--permute|--cyclic] [--ansi] | N\n", argv[0]);
    return 2;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  PstWriterOptions options;
  if (std::strcmp(argv[1], "sample") == 0) {
    for (int i = 3; i < argc; ++i) {
      options.permute = options.permute || std::strcmp(argv[i], "--permute") == 0;
      if (std::strcmp(argv[i], "--cyclic") == 0) options.crypt = folio::ingest::mail::PstCrypt::Cyclic;
      if (std::strcmp(argv[i], "--ansi") == 0) options.unicode = false;
    }
    PstWriter w(out, options);
    const uint32_t inbox = w.addFolder(0, "Inbox");
    const uint32_t alpha = w.addFolder(inbox, "Project Alpha");
    const uint32_t sent = w.addFolder(0, "Sent Items");
    for (int i = 0; i < 6; ++i) w.addMessage(i < 3 ? inbox : alpha, sampleMessage(i));
    PstMessageSpec big = sampleMessage(6);
    big.subject = "Large body and attachments";
    big.body.clear();
    for (int k = 0; big.body.size() < 40000; ++k) big.body += "Line " + std::to_string(k) + " of the long memo.\n";
    std::string notes;
    for (int k = 0; notes.size() < 30000; ++k) notes += "Note " + std::to_string(k) + ": the lessee pays.\n";
    big.attachments.push_back({"notes.txt", "text/plain", notes, nullptr});
    auto forwarded = std::make_shared<PstMessageSpec>(sampleMessage(7));
    forwarded->subject = "Fwd: signed lease";
    forwarded->attachments.push_back({"lease.txt", "text/plain", "The tenant may end the lease early.", nullptr});
    big.attachments.push_back({"", "", "", forwarded});
    w.addMessage(sent, big);
    w.finish();
    return 0;
  }
  if (std::strcmp(argv[1], "small") == 0) {  // the fuzz corpus: under 64 KiB
    options.permute = argc > 3 && std::strcmp(argv[3], "--permute") == 0;
    options.unicode = !(argc > 3 && std::strcmp(argv[3], "--ansi") == 0);
    PstWriter w(out, options);
    const uint32_t inbox = w.addFolder(0, "Inbox");
    PstMessageSpec m = sampleMessage(0);
    auto forwarded = std::make_shared<PstMessageSpec>(sampleMessage(3));
    forwarded->attachments.push_back({"lease.txt", "text/plain", "The tenant may end the lease early.", nullptr});
    m.attachments.push_back({"", "", "", forwarded});
    w.addMessage(inbox, m);
    w.addMessage(w.addFolder(inbox, "Alpha"), sampleMessage(1));
    w.finish();
    return 0;
  }
  const long count = argc > 3 ? std::stol(argv[3]) : 20000;
  PstWriter w(out, options);
  std::mt19937 rng(7);
  uint32_t folder = 0;
  for (long i = 0; i < count; ++i) {
    if (i % 1000 == 0) folder = w.addFolder(0, "Custodian " + std::to_string(i / 1000));
    PstMessageSpec m = sampleMessage(static_cast<int>(i));
    std::string blob(50000, '\0');
    for (char& c : blob) c = static_cast<char>(rng());
    m.attachments.push_back({"scan" + std::to_string(i) + ".zip", "application/zip", blob, nullptr});
    w.addMessage(folder, m);
  }
  w.finish();
  return 0;
}
