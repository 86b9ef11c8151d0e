// berth/go_template.h: parse the template into a small tree, then evaluate it over JSON.
#include "berth/go_template.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <memory>
#include <vector>

namespace berth {

namespace {

using nlohmann::json;

struct Node {
    enum class Kind { Text, Action, Range, If } kind = Kind::Text;
    std::string text;                 // Text: the text; others: the pipeline
    std::vector<Node> body, otherwise;  // Range / If: the parts before and after {{else}}
};

Error templateError(const std::string& what) { return Error(Errc::InvalidArgument, "template: " + what); }

std::string unescape(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 't' || text[i + 1] == 'n')) {
            out += text[++i] == 't' ? '\t' : '\n';
            continue;
        }
        out += text[i];
    }
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

// Splits the template into text and actions ("{{ ... }}"), applying the trim markers.
Result<std::vector<std::pair<bool, std::string>>> lex(std::string_view t) {
    std::vector<std::pair<bool, std::string>> out;  // (isAction, text)
    size_t pos = 0;
    while (pos < t.size()) {
        size_t open = t.find("{{", pos);
        std::string text(t.substr(pos, open == std::string_view::npos ? std::string_view::npos : open - pos));
        if (open == std::string_view::npos) {
            out.emplace_back(false, text);
            break;
        }
        size_t close = t.find("}}", open + 2);
        if (close == std::string_view::npos) return std::unexpected(templateError("unclosed action in `" + std::string(t) + "`"));
        std::string action(t.substr(open + 2, close - open - 2));
        bool trimLeft = action.starts_with("-"), trimRight = action.ends_with("-");
        if (trimLeft) {
            action.erase(0, 1);
            while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        }
        if (trimRight) action.pop_back();
        out.emplace_back(false, text);
        out.emplace_back(true, trim(action));
        pos = close + 2;
        if (trimRight)
            while (pos < t.size() && std::isspace(static_cast<unsigned char>(t[pos]))) ++pos;
    }
    return out;
}

using Tokens = std::vector<std::pair<bool, std::string>>;

// Parses tokens[i...] into nodes until {{end}} / {{else}} (returned in `stop`) or the end.
Result<std::vector<Node>> parse(const Tokens& tokens, size_t& i, std::string* stop) {
    std::vector<Node> nodes;
    while (i < tokens.size()) {
        const auto& [isAction, text] = tokens[i++];
        if (!isAction) {
            if (!text.empty()) nodes.push_back(Node{Node::Kind::Text, unescape(text), {}, {}});
            continue;
        }
        if (text == "end" || text == "else") {
            if (!stop) return std::unexpected(templateError("unexpected {{" + text + "}}"));
            *stop = text;
            return nodes;
        }
        bool isRange = text.starts_with("range "), isIf = text.starts_with("if ");
        if (!isRange && !isIf) {
            nodes.push_back(Node{Node::Kind::Action, text, {}, {}});
            continue;
        }
        Node block{isRange ? Node::Kind::Range : Node::Kind::If, trim(text.substr(isRange ? 6 : 3)), {}, {}};
        std::string ended;
        block.body = BERTH_TRY(parse(tokens, i, &ended));
        if (ended == "else") block.otherwise = BERTH_TRY(parse(tokens, i, &ended));
        if (ended != "end") return std::unexpected(templateError("missing {{end}}"));
        nodes.push_back(std::move(block));
    }
    if (stop) *stop = "";
    return nodes;
}

class Evaluator {
public:
    explicit Evaluator(const TemplateOptions& o) : m_options(o) {}
    Result<std::string> run(const std::vector<Node>& nodes, const json& dot);

private:
    Result<json> pipeline(const std::string& text, const json& dot);
    Result<json> argument(const std::string& arg, const json& dot);
    Result<json> field(const json& dot, const std::string& path);
    static std::string print(const json& v);
    static bool truthy(const json& v);
    TemplateOptions m_options;
};

std::string Evaluator::print(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "<no value>";
    if (v.is_object()) {
        std::string m = "map[";
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            m += (first ? "" : " ") + it.key() + ":" + print(*it);
            first = false;
        }
        return m + "]";
    }
    if (v.is_array()) {
        std::string a = "[";
        for (size_t i = 0; i < v.size(); ++i) a += (i ? " " : "") + print(v[i]);
        return a + "]";
    }
    return v.dump();
}

bool Evaluator::truthy(const json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string() || v.is_array() || v.is_object()) return !v.empty();
    return true;
}

Result<json> Evaluator::field(const json& dot, const std::string& path) {
    const json* cur = &dot;
    size_t pos = 1;  // after the leading '.'
    while (pos < path.size()) {
        size_t next = path.find('.', pos);
        std::string key = path.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        pos = next == std::string::npos ? path.size() : next + 1;
        const json* found = nullptr;
        if (cur->is_object()) {
            if (auto it = cur->find(key); it != cur->end()) found = &*it;
            for (auto it = cur->begin(); !found && m_options.caseInsensitiveFields && it != cur->end(); ++it) {
                std::string a = it.key(), b = key;
                for (auto& c : a) c = char(std::tolower(static_cast<unsigned char>(c)));
                for (auto& c : b) c = char(std::tolower(static_cast<unsigned char>(c)));
                if (a == b) found = &*it;
            }
        }
        if (!found) {
            if (m_options.missingFieldIsError) return std::unexpected(templateError("can't evaluate field " + key));
            return json(nullptr);
        }
        cur = found;
    }
    return *cur;
}

Result<json> Evaluator::argument(const std::string& arg, const json& dot) {
    if (arg == "." || arg == "$") return dot;
    if (arg.starts_with(".")) return field(dot, arg);
    if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') return json(arg.substr(1, arg.size() - 2));
    if (!arg.empty() && (std::isdigit(static_cast<unsigned char>(arg[0])) || arg[0] == '-')) {
        char* end = nullptr;
        long long n = std::strtoll(arg.c_str(), &end, 10);
        if (end && *end == '\0') return json(n);
    }
    return std::unexpected(templateError("unsupported argument `" + arg + "`"));
}

// "FUNC ARG..." or "ARG": json, index, and a plain value.
Result<json> Evaluator::pipeline(const std::string& text, const json& dot) {
    std::vector<std::string> words;
    for (size_t i = 0; i < text.size();) {
        while (i < text.size() && text[i] == ' ') ++i;
        if (i >= text.size()) break;
        size_t end = text[i] == '"' ? text.find('"', i + 1) + 1 : text.find(' ', i);
        if (end == 0 || end == std::string::npos) end = text.size();
        words.push_back(text.substr(i, end - i));
        i = end;
    }
    if (words.empty()) return std::unexpected(templateError("empty action"));
    if (words[0] == "json" && words.size() == 2) return json(BERTH_TRY(argument(words[1], dot)).dump());
    if (words[0] == "index" && words.size() >= 3) {
        json v = BERTH_TRY(argument(words[1], dot));
        for (size_t k = 2; k < words.size(); ++k) {
            json key = BERTH_TRY(argument(words[k], dot));
            if (v.is_object() && key.is_string() && v.contains(key.get<std::string>())) v = v[key.get<std::string>()];
            else if (v.is_array() && key.is_number_integer() && key.get<long long>() >= 0 && size_t(key.get<long long>()) < v.size())
                v = v[size_t(key.get<long long>())];
            else if (v.is_object() && key.is_string()) v = json(nullptr);  // Go: a map's zero value
            else return std::unexpected(templateError("index of " + key.dump() + " out of range"));
        }
        return v;
    }
    if (words.size() == 1) return argument(words[0], dot);
    return std::unexpected(templateError("unsupported action {{" + text + "}}"));
}

Result<std::string> Evaluator::run(const std::vector<Node>& nodes, const json& dot) {
    std::string out;
    for (const Node& n : nodes) {
        switch (n.kind) {
        case Node::Kind::Text: out += n.text; break;
        case Node::Kind::Action: out += print(BERTH_TRY(pipeline(n.text, dot))); break;
        case Node::Kind::If: {
            const bool yes = truthy(BERTH_TRY(pipeline(n.text, dot)));
            out += BERTH_TRY(run(yes ? n.body : n.otherwise, dot));
            break;
        }
        case Node::Kind::Range: {
            json over = BERTH_TRY(pipeline(n.text, dot));
            if ((over.is_array() || over.is_object()) && !over.empty()) {
                for (auto& item : over) out += BERTH_TRY(run(n.body, item));
            } else {
                out += BERTH_TRY(run(n.otherwise, dot));
            }
            break;
        }
        }
    }
    return out;
}

} // namespace

Result<std::string> renderGoTemplate(std::string_view tmpl, std::string_view text, const TemplateOptions& options) {
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded()) return fail(Errc::InvalidArgument, "template: the value is not JSON");
    auto tokens = BERTH_TRY(lex(tmpl));
    size_t i = 0;
    auto nodes = BERTH_TRY(parse(tokens, i, nullptr));
    return Evaluator(options).run(nodes, value);
}

} // namespace berth
