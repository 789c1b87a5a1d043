// A client asks in everyday words what a contract says in its own: "can we walk away?" is a question about
// termination, "who owns the output?" about ownership, "does the provider promise …?" about warranties,
// "where do we sue?" about courts and jurisdiction. A passage that shares none of those words with the
// question is still the one that answers it, so the ranking also looks for the contract words an
// everyday word stands for (rankChunks, contract clauses only: in code "end" and "stop" mean themselves).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace folio::app {

// A contract word as a passage may write it: a word ("term", matched whole), a word's stem ("terminat",
// matching terminate, terminated, termination), or a phrase of either ("independent contractor…").
struct ContractTerm {
  std::vector<std::string> parts;  // lowercase; a part ending in '*' is a stem
  std::string search;              // what a full-text search for it asks: "termination", "\"security incident\""
};

// What one of the question's everyday words or phrases stands for in a contract.
struct EverydayMeaning {
  std::string says;           // the question's word or phrase, lowercase ("walk away")
  bool phrase = false;        // several words: they say little alone ("out of business")
  std::vector<size_t> words;  // the indexes of its words among the question's ranking words
  std::vector<ContractTerm> terms;
};

// The everyday words and phrases of a question that stand for contract words, each once. `ranking_words`
// are the question's distinctRankingWords; a single word that is not one of them (a stop word) is passed by.
std::vector<EverydayMeaning> everydayMeanings(std::string_view question, const std::vector<std::string>& ranking_words);

// Whether `words` (a passage's lowercase words in order, every word kept: wordsInOrder) hold the term.
bool holdsTerm(const ContractTerm& term, const std::vector<std::string>& words);

// A text's lowercase words in order, stop words kept (phrases match across them: "change of control").
std::vector<std::string> wordsInOrder(std::string_view text);

}  // namespace folio::app
