#include "connectors/xml/xml_pugi.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace jimu::xml::detail {
namespace {

// pugixml takes a fresh 32 KB page from malloc for every document and returns it on reset. When
// each() parses a record at a time, between thousands of small Lua allocations, each such large
// request makes glibc consolidate its fast bins: a quarter of the streaming time went to malloc.
// Small blocks pugixml frees are therefore kept on a short per-thread list and handed back. Each
// block carries a header saying whether it is recyclable; installed before main() so that every
// pugixml allocation in the process has the header.
constexpr size_t kBlock = 40 * 1024;
constexpr size_t kHeader = 16;  // keeps pugixml's alignment
constexpr int kKeep = 8;

struct Recycler {
  void* blocks[kKeep];
  int count = 0;
  ~Recycler() {
    while (count > 0) std::free(blocks[--count]);
  }
};
thread_local Recycler recycler;

void* allocate(size_t size) {
  bool small = size <= kBlock - kHeader;
  void* raw = nullptr;
  if (small && recycler.count > 0) {
    raw = recycler.blocks[--recycler.count];
  } else {
    raw = std::malloc(small ? kBlock : size + kHeader);
    if (raw == nullptr) return nullptr;
  }
  *static_cast<unsigned char*>(raw) = small ? 1 : 0;
  return static_cast<char*>(raw) + kHeader;
}

void deallocate(void* ptr) {
  if (ptr == nullptr) return;
  void* raw = static_cast<char*>(ptr) - kHeader;
  if (*static_cast<unsigned char*>(raw) == 1 && recycler.count < kKeep) {
    recycler.blocks[recycler.count++] = raw;
  } else {
    std::free(raw);
  }
}

const bool kInstalled = [] {
  pugi::set_memory_management_functions(&allocate, &deallocate);
  return true;
}();

}  // namespace

void emit_element(const pugi::xml_node& element, TreeSink& sink) {
  // The element's own text: usually one text child, so avoid a copy for that case.
  std::string_view text;
  std::string joined;
  int text_parts = 0;
  size_t child_count = 0;
  for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
    pugi::xml_node_type t = c.type();
    if (t == pugi::node_element) {
      ++child_count;
    } else if (t == pugi::node_pcdata || t == pugi::node_cdata) {
      std::string_view v = c.value();
      if (text_parts == 0) {
        text = v;
      } else {
        if (text_parts == 1) joined.assign(text);
        joined.append(v);
      }
      ++text_parts;
    }
  }
  if (text_parts > 1) text = joined;
  size_t attr_count = 0;
  for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) ++attr_count;
  sink.open_element(element.name(), text, attr_count, child_count);
  for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) {
    sink.attribute(a.name(), a.value());
  }
  if (child_count > 0) {
    for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) emit_element(c, sink);
    }
  }
  sink.close_element();
}

void emit_flat(const pugi::xml_node& element, TreeSink& sink) {
  size_t fields = 0;
  for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) ++fields;
  for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) ++fields;
  }
  sink.open_element(element.name(), element.child_value(), fields, 0);
  std::string name;
  // Names of the children sent so far, so that the first child of a name wins.
  std::string_view sent[64];
  size_t sent_count = 0;
  for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) {
    name.assign("@").append(a.name());
    sink.attribute(name, a.value());
  }
  for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view child_name = c.name();
    bool seen = false;
    for (size_t k = 0; k < sent_count && !seen; ++k) seen = sent[k] == child_name;
    if (!seen && sent_count == 64) {
      for (pugi::xml_node p = c.previous_sibling(); p && !seen; p = p.previous_sibling()) {
        seen = p.type() == pugi::node_element && child_name == p.name();
      }
    }
    if (seen) continue;
    if (sent_count < 64) sent[sent_count++] = child_name;
    // The element's own text: one text child is the common case.
    pugi::xml_node t = c.first_child();
    if (t && !t.next_sibling() && (t.type() == pugi::node_pcdata || t.type() == pugi::node_cdata)) {
      sink.attribute(c.name(), t.value());
    } else {
      std::string text;
      for (pugi::xml_node k = c.first_child(); k; k = k.next_sibling()) {
        if (k.type() == pugi::node_pcdata || k.type() == pugi::node_cdata) text += k.value();
      }
      sink.attribute(c.name(), text);
    }
  }
  sink.close_element();
}

void emit_xpath_node(const pugi::xpath_node& node, TreeSink& sink) {
  if (node.attribute()) {
    sink.string_value(node.attribute().value());
    return;
  }
  pugi::xml_node n = node.node();
  switch (n.type()) {
    case pugi::node_element:
      emit_element(n, sink);
      break;
    case pugi::node_document:
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) emit_element(c, sink);
      }
      break;
    case pugi::node_pcdata:
    case pugi::node_cdata:
    case pugi::node_comment:
    case pugi::node_pi:
      sink.string_value(n.value());
      break;
    default:
      sink.string_value(n.child_value());
      break;
  }
}

std::string status_message(pugi::xml_parse_status status) {
  switch (status) {
    case pugi::status_ok:
      return "ok";
    case pugi::status_out_of_memory:
      return "not enough memory to parse the document";
    case pugi::status_unrecognized_tag:
      return "malformed markup: expected an element name, '/', '!' or '?' after '<'";
    case pugi::status_bad_pi:
      return "malformed processing instruction or XML declaration: expected '<?name ... ?>'";
    case pugi::status_bad_comment:
      return "malformed comment: expected '<!-- ... -->'";
    case pugi::status_bad_cdata:
      return "malformed CDATA section: expected '<![CDATA[ ... ]]>'";
    case pugi::status_bad_doctype:
      return "malformed document type declaration";
    case pugi::status_bad_pcdata:
      return "malformed text";
    case pugi::status_bad_start_element:
      return "malformed start tag: expected a name, attributes and '>' or '/>'";
    case pugi::status_bad_attribute:
      return "malformed attribute: expected name=\"value\" or name='value'";
    case pugi::status_bad_end_element:
      return "malformed end tag: expected '</name>'";
    case pugi::status_end_element_mismatch:
      return "mismatched end tag";
    case pugi::status_append_invalid_root:
      return "content that cannot stand at the root";
    case pugi::status_no_document_element:
      return "no root element: the file holds no XML element";
    default:
      return "the XML parser failed";
  }
}

}  // namespace jimu::xml::detail
