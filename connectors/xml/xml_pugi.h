// Internal to connectors/xml: the one header that includes pugixml. It turns a pugixml subtree
// into TreeSink calls and a failed parse into jimu's message. Not for use outside this folder.
#pragma once

#include <pugixml.hpp>
#include <string>

#include "connectors/xml/xml_tree.h"

namespace jimu::xml::detail {

// pugixml's parse options for jimu: entities decoded (parse_escapes), CDATA kept, line ends
// normalised, whitespace-only text dropped.
constexpr unsigned kParseFlags = pugi::parse_default;

// Sends element (and its subtree) to sink.
void emit_element(const pugi::xml_node& element, TreeSink& sink);
// Sends a record in flat form: one open_element(tag, text, field_count, 0), then one attribute()
// call per field: "@name" for each attribute, and each child element's tag with its text (the
// first child of a name wins), then close_element().
void emit_flat(const pugi::xml_node& element, TreeSink& sink);
// Sends one XPath result to sink: an element as a tree, anything else as its string value.
void emit_xpath_node(const pugi::xpath_node& node, TreeSink& sink);
// A clear English message for a failed parse ("malformed attribute: expected name=\"value\"").
std::string status_message(pugi::xml_parse_status status);

}  // namespace jimu::xml::detail
