// The per-token routing view (issue 8): after a model answer from the tiny fixture model, clicking a
// word of the answer switches the heatmap to that token's per-layer experts (cell = routing weight,
// exactly the token's top_k routing records per layer), and "Whole answer" restores the aggregate. The
// text-offset → token map is also checked on its own against trimmed and repeated pieces.
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>
#include <set>

#include "ui/answer_token_map.h"
#include "ui/ask_panel.h"
#include "ui/library_service.h"
#include "ui/main_window.h"
#include "ui/routing_heatmap.h"
#include "ui/routing_panel.h"
#include "tests/gui/ingest_watch.h"

namespace {

const QString kModel = QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

folio::app::TokenRouting token(const std::string& piece) {
  folio::app::TokenRouting t;
  t.piece = piece;
  return t;
}

}  // namespace

class TokenRoutingViewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void tokenMapFollowsThePiecesInOrder() {
    // The model wrote "\n" first (trimmed from the answer), then " cat" twice and "." ; "" writes nothing.
    const QString answer = "The cat cat.";
    const folio::ui::AnswerTokenMap map(answer, {token("\n"), token("The"), token(" cat"), token(""),
                                                 token(" cat"), token(".")});
    QCOMPARE(map.spans().size(), size_t{4});
    QCOMPARE(map.tokenAt(0), 1);
    QCOMPARE(map.tokenAt(2), 1);
    QCOMPARE(map.tokenAt(3), 2);
    QCOMPARE(map.tokenAt(5), 2);
    QCOMPARE(map.tokenAt(7), 4);  // the second " cat", not the first again
    QCOMPARE(map.tokenAt(11), 5);
    QCOMPARE(map.tokenAt(12), -1);
    QVERIFY(map.spanOf(0) == nullptr);
    QCOMPARE(map.spanOf(4)->begin, qsizetype{7});
  }

  void clickingATokenShowsItsExpertsAndTheToggleRestoresTheAnswer() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QDir().mkpath(tmp.filePath("notes"));
    QFile notes(tmp.filePath("notes/shipping.md"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("# Shipping notes\n\nParcels leave the Harbor depot every Tuesday. Payment is due within "
                "30 days of the invoice.\n");
    notes.close();
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    o.remember = false;
    folio::ui::MainWindow window(o);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    folio::test::IngestWatch ingest(window.libraryService());
    window.addPaths({tmp.filePath("notes")}, "notes");
    QVERIFY(ingest.waitFinished());
    auto s = window.settings();
    s.thinking_budget = 0;
    s.answer_budget = 48;
    s.context_window = 2048;
    s.threads = 1;
    window.setSettings(s);
    QSignalSpy model(&window, &folio::ui::MainWindow::modelChanged);
    window.loadModel(kModel);
    QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 60000);
    QVERIFY(window.modelLoaded());

    auto* ask = window.askPanel();
    auto* panel = window.routingPanel();
    QSignalSpy shown(ask, &folio::ui::AskPanel::answerShown);
    ask->questionEdit()->setText("When is payment due?");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    const auto answer = shown.at(0).at(0).value<folio::app::AnswerRecord>();
    QVERIFY(!answer.extractive);
    const auto total = answer.usage.routingTotal();
    QVERIFY(total.num_layers > 0);
    QVERIFY(!answer.answer_tokens.empty());
    QCOMPARE(panel->tokens().size(), answer.answer_tokens.size());
    QCOMPARE(panel->shownToken(), -1);
    QVERIFY(!panel->wholeAnswerButton()->isEnabled());
    QCOMPARE(panel->heatmap()->routing().counts, total.counts);

    // Every answer token went through every MoE layer with top_k experts (τ = 1), and all of them
    // together are part of the whole answer's aggregate (which also holds the prompt).
    std::vector<int64_t> answer_counts(total.counts.size(), 0);
    int top_k = 0;
    for (const auto& t : answer.answer_tokens) {
      QCOMPARE(static_cast<int>(t.layers.size()), total.num_layers);
      top_k = std::max(top_k, static_cast<int>(t.layers[0].size()));
      for (int l = 0; l < total.num_layers; ++l)
        for (const auto& c : t.layers[static_cast<size_t>(l)]) ++answer_counts[static_cast<size_t>(l * total.num_experts + c.expert)];
    }
    QVERIFY(top_k > 0);
    for (size_t i = 0; i < total.counts.size(); ++i) QVERIFY(answer_counts[i] <= total.counts[i]);

    // Click in the middle of a token with at least two characters, as a person would.
    const auto& spans = ask->tokenMap().spans();
    // Whitespace the answer trimmed and empty pieces map to nothing; most tokens must map.
    qInfo().noquote() << QString("%1 of %2 answer tokens mapped onto %3 characters of answer text")
                             .arg(spans.size()).arg(answer.answer_tokens.size()).arg(answer.text.size());
    QVERIFY2(spans.size() * 2 >= answer.answer_tokens.size(), "fewer than half the answer tokens matched the answer text");
    const folio::ui::AnswerTokenMap::Span* pick = nullptr;
    for (const auto& sp : spans)
      if (sp.end - sp.begin >= 2 && !pick) pick = &sp;
    QVERIFY2(pick, qPrintable(QString::fromStdString(answer.text)));
    QTextCursor at(ask->answerView()->document());
    at.setPosition(static_cast<int>(pick->begin + 1));
    const QPoint point = ask->answerView()->cursorRect(at).center();
    QSignalSpy selected(ask, &folio::ui::AskPanel::tokenSelected);
    QTest::mouseClick(ask->answerView()->viewport(), Qt::LeftButton, {}, point);
    QCOMPARE(selected.count(), 1);
    const int index = selected.at(0).at(0).toInt();
    QCOMPARE(index, pick->token);
    QCOMPARE(panel->shownToken(), index);
    QVERIFY(panel->wholeAnswerButton()->isEnabled());
    QVERIFY(panel->modeLabel()->text().contains(QString("Token %1").arg(index + 1)));

    // The heatmap now holds exactly this token's records: one count and its weight per chosen expert.
    const auto& t = answer.answer_tokens[static_cast<size_t>(index)];
    const auto* heat = panel->heatmap();
    QCOMPARE(heat->measure(), folio::ui::RoutingHeatmap::Measure::WeightShare);
    const auto& r = heat->routing();
    QCOMPARE(r.num_layers, total.num_layers);
    QCOMPARE(r.num_experts, total.num_experts);
    for (int l = 0; l < r.num_layers; ++l) {
      const auto& chosen = t.layers[static_cast<size_t>(l)];
      QCOMPARE(static_cast<int>(chosen.size()), top_k);
      std::set<int> nonzero;
      for (int e = 0; e < r.num_experts; ++e) {
        const size_t i = static_cast<size_t>(l * r.num_experts + e);
        if (r.counts[i] != 0 || r.weight_sums[i] != 0) nonzero.insert(e);
      }
      QCOMPARE(nonzero.size(), chosen.size());
      for (const auto& c : chosen) {
        const size_t i = static_cast<size_t>(l * r.num_experts + c.expert);
        QVERIFY(nonzero.count(c.expert) == 1);
        QCOMPARE(r.counts[i], int64_t{1});
        QCOMPARE(r.weight_sums[i], static_cast<double>(c.weight));
        QVERIFY(std::abs(heat->share(l, c.expert) - c.weight) < 1e-5);  // cell = routing weight
      }
    }

    // Back to the whole answer.
    QTest::mouseClick(panel->wholeAnswerButton(), Qt::LeftButton);
    QCOMPARE(panel->shownToken(), -1);
    QCOMPARE(panel->heatmap()->routing().counts, total.counts);
    QCOMPARE(panel->heatmap()->routing().weight_sums, total.weight_sums);
    QVERIFY(!panel->wholeAnswerButton()->isEnabled());
  }
};

QTEST_MAIN(TokenRoutingViewTest)
#include "test_token_routing_view.moc"
