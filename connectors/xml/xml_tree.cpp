#include "connectors/xml/xml_tree.h"

namespace jimu::xml {

const std::string* XmlNode::attr(std::string_view name) const {
  for (const auto& [k, v] : attrs) {
    if (k == name) return &v;
  }
  return nullptr;
}

const XmlNode* XmlNode::child(std::string_view name) const {
  for (const auto& c : children) {
    if (c.tag == name) return &c;
  }
  return nullptr;
}

void NodeBuilder::open_element(std::string_view tag, std::string_view text, size_t attr_count,
                               size_t child_count) {
  XmlNode n;
  n.tag = std::string(tag);
  n.text = std::string(text);
  n.attrs.reserve(attr_count);
  n.children.reserve(child_count);
  open_.push_back(std::move(n));
}

void NodeBuilder::attribute(std::string_view name, std::string_view value) {
  open_.back().attrs.emplace_back(std::string(name), std::string(value));
}

void NodeBuilder::close_element() {
  XmlNode n = std::move(open_.back());
  open_.pop_back();
  if (open_.empty()) {
    XmlValue v;
    v.node = std::move(n);
    values.push_back(std::move(v));
  } else {
    open_.back().children.push_back(std::move(n));
  }
}

void NodeBuilder::string_value(std::string_view value) {
  XmlValue v;
  v.kind = XmlValue::Kind::kString;
  v.string = std::string(value);
  values.push_back(std::move(v));
}

void NodeBuilder::number_value(double value) {
  XmlValue v;
  v.kind = XmlValue::Kind::kNumber;
  v.number = value;
  values.push_back(std::move(v));
}

void NodeBuilder::boolean_value(bool value) {
  XmlValue v;
  v.kind = XmlValue::Kind::kBoolean;
  v.boolean = value;
  values.push_back(std::move(v));
}

}  // namespace jimu::xml
