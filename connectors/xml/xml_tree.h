// The tree shape jimu.xml hands out, and the sink interface the XML core sends trees through.
//
// An element is { tag, attrs, text, children }: tag is the name as written (with its namespace
// prefix, "dms:document"), attrs its attributes, text the concatenation of its own text and CDATA
// (not its descendants'), children its child elements in order. The core never builds Lua tables
// itself: it walks a parsed tree and calls a TreeSink, which the Lua binding implements by
// building tables and tests implement with NodeBuilder. Plain C++; not thread-safe per object.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jimu::xml {

struct XmlNode {
  std::string tag;
  std::vector<std::pair<std::string, std::string>> attrs;  // in document order
  std::string text;
  std::vector<XmlNode> children;

  // The value of attribute name, or nullptr.
  const std::string* attr(std::string_view name) const;
  // The first child element named tag, or nullptr.
  const XmlNode* child(std::string_view tag) const;
};

// Receives trees depth-first: open_element, then exactly attr_count attribute() calls, then
// exactly child_count child elements (each a full open..close sequence), then close_element().
// Values that are not elements (attributes, text nodes, XPath numbers, strings and booleans)
// arrive as single calls.
class TreeSink {
 public:
  virtual ~TreeSink() = default;
  virtual void open_element(std::string_view tag, std::string_view text, size_t attr_count,
                            size_t child_count) = 0;
  virtual void attribute(std::string_view name, std::string_view value) = 0;
  virtual void close_element() = 0;
  virtual void string_value(std::string_view value) = 0;
  virtual void number_value(double value) = 0;
  virtual void boolean_value(bool value) = 0;
};

// One selected value, for C++ callers.
struct XmlValue {
  enum class Kind { kNode, kString, kNumber, kBoolean };
  Kind kind = Kind::kNode;
  XmlNode node;
  std::string string;
  double number = 0;
  bool boolean = false;
};

// A sink that collects XmlValues.
class NodeBuilder : public TreeSink {
 public:
  void open_element(std::string_view tag, std::string_view text, size_t attr_count,
                    size_t child_count) override;
  void attribute(std::string_view name, std::string_view value) override;
  void close_element() override;
  void string_value(std::string_view value) override;
  void number_value(double value) override;
  void boolean_value(bool value) override;

  std::vector<XmlValue> values;

 private:
  std::vector<XmlNode> open_;
};

}  // namespace jimu::xml
