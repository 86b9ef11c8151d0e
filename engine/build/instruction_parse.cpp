#include "build/instruction_parse.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <set>

namespace berth::build {

namespace {

const std::set<std::string, std::less<>> kInstructions = {
    "FROM", "RUN", "CMD", "ENTRYPOINT", "ENV", "ARG", "LABEL", "EXPOSE", "COPY", "ADD",
    "WORKDIR", "USER", "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER"};

std::set<std::string> allowedFlags(const std::string& keyword) {
    if (keyword == "FROM") return {"platform"};
    if (keyword == "RUN") return {"mount", "network", "security"};
    if (keyword == "COPY") return {"from", "chown", "chmod", "link", "parents", "exclude"};
    if (keyword == "ADD") return {"chown", "chmod", "checksum", "keep-git-dir", "link", "exclude"};
    if (keyword == "HEALTHCHECK") return {"interval", "timeout", "start-period", "start-interval", "retries"};
    return {};
}

bool booleanFlag(const std::string& name) {
    return name == "link" || name == "parents" || name == "keep-git-dir";
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = char(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

// Stage names: Docker's rule, a letter then letters, digits, '-', '_', '.'.
bool validStageName(std::string_view n) {
    if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) return false;
    for (char c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

bool validArgName(std::string_view n) {
    if (n.empty()) return false;
    for (char c : n)
        if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'') return false;
    return true;
}

class Parser {
public:
    Parser(std::string_view logical, int line, char escape, std::string_view file)
        : m_line(line), m_escape(escape), m_file(file), m_text(logical) {}

    Result<Instruction> run() {
        Instruction ins;
        ins.line = m_line;
        size_t sp = 0;
        while (sp < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[sp]))) ++sp;
        std::string written(m_text.substr(0, sp));
        ins.keyword = upper(written);
        if (!kInstructions.contains(ins.keyword)) return err("unknown instruction: " + written);
        std::string_view rest = trim(m_text.substr(sp));
        BERTH_TRYV(takeFlags(ins, rest));
        ins.rest = std::string(rest);
        BERTH_TRYV(shape(ins));
        return ins;
    }

private:
    std::unexpected<Error> err(const std::string& message) const {
        return fail(Errc::InvalidArgument, fmt::format("{}:{}: {}", m_file, m_line, message));
    }

    VoidResult takeFlags(Instruction& ins, std::string_view& rest) {
        auto allowed = allowedFlags(ins.keyword);
        while (rest.starts_with("--")) {
            size_t end = 0;
            char quote = 0;
            while (end < rest.size()) {
                char c = rest[end];
                if (quote) {
                    if (c == quote) quote = 0;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (std::isspace(static_cast<unsigned char>(c))) {
                    break;
                }
                ++end;
            }
            std::string word(rest.substr(2, end - 2));
            rest = trim(rest.substr(end));
            if (word.empty()) break;  // "--" ends the flags
            auto eq = word.find('=');
            std::string flagName = word.substr(0, eq);
            if (!allowed.contains(flagName))
                return err(fmt::format("unknown flag: --{} (for {})", flagName, ins.keyword));
            std::string value;
            if (eq == std::string::npos) {
                if (!booleanFlag(flagName)) return err("missing a value on flag: --" + flagName);
                value = "true";
            } else {
                value = word.substr(eq + 1);
                if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
                    value = value.substr(1, value.size() - 2);
            }
            ins.flags.emplace_back(flagName, value);
        }
        return {};
    }

    // RUN, CMD, ENTRYPOINT: a JSON array, or the shell form text.
    VoidResult commandForm(Instruction& ins, bool allowEmptyJson) {
        if (auto arr = parseJsonArray(ins.rest)) {
            if (arr->empty() && !allowEmptyJson) return err(ins.keyword + " requires at least one argument");
            ins.json = true;
            ins.args = std::move(*arr);
            return {};
        }
        if (ins.rest.empty()) return err(ins.keyword + " requires at least one argument");
        ins.args = {ins.rest};
        return {};
    }

    VoidResult nameValues(Instruction& ins) {
        auto words = splitWords(ins.rest, m_escape);
        if (words.empty()) return err(ins.keyword + " requires at least one argument");
        if (words[0].find('=') == std::string::npos) {
            // The legacy form: "ENV key value with spaces".
            if (words.size() < 2)
                return err(fmt::format("{} {}: missing value (use {} {}=value)", ins.keyword, words[0],
                                       ins.keyword, words[0]));
            auto value = trim(trim(ins.rest).substr(words[0].size()));
            ins.pairs.push_back({words[0], std::string(value), true});
            return {};
        }
        for (auto& w : words) {
            auto eq = w.find('=');
            if (eq == std::string::npos)
                return err(fmt::format("syntax error: can't find = in \"{}\"; must be of the form name=value", w));
            if (eq == 0) return err(ins.keyword + " names can not be blank");
            ins.pairs.push_back({w.substr(0, eq), w.substr(eq + 1), true});
        }
        return {};
    }

    VoidResult shape(Instruction& ins) {
        const auto& k = ins.keyword;
        if (k == "FROM") {
            auto words = splitWords(ins.rest, m_escape);
            if (words.size() != 1 && !(words.size() == 3 && upper(words[1]) == "AS"))
                return err("FROM requires either one or three arguments (FROM image [AS name])");
            if (words.size() == 3) {
                if (!validStageName(words[2]))
                    return err(fmt::format("invalid name for build stage: \"{}\", name can't start with a "
                                           "number or contain symbols", words[2]));
                for (char c : words[2]) ins.stageName += char(std::tolower(static_cast<unsigned char>(c)));
            }
            ins.args = std::move(words);
        } else if (k == "RUN") {
            // A RUN whose command is a heredoc only still needs the marker on its line.
            BERTH_TRYV(commandForm(ins, false));
        } else if (k == "CMD" || k == "ENTRYPOINT") {
            BERTH_TRYV(commandForm(ins, true));
        } else if (k == "SHELL") {
            auto arr = parseJsonArray(ins.rest);
            if (!arr) return err("SHELL requires the arguments to be in JSON form");
            if (arr->empty()) return err("SHELL requires at least one argument");
            ins.json = true;
            ins.args = std::move(*arr);
        } else if (k == "ENV" || k == "LABEL") {
            BERTH_TRYV(nameValues(ins));
        } else if (k == "ARG") {
            auto words = splitWords(ins.rest, m_escape);
            if (words.empty()) return err("ARG requires at least one argument");
            for (auto& w : words) {
                auto eq = w.find('=');
                KeyValue kv{w.substr(0, eq), eq == std::string::npos ? "" : w.substr(eq + 1), eq != std::string::npos};
                if (!validArgName(kv.key)) return err(fmt::format("ARG: invalid name `{}`", kv.key));
                ins.pairs.push_back(std::move(kv));
            }
        } else if (k == "EXPOSE") {
            ins.args = splitWords(ins.rest, m_escape);
            if (ins.args.empty()) return err("EXPOSE requires at least one argument");
        } else if (k == "VOLUME") {
            if (auto arr = parseJsonArray(ins.rest)) {
                ins.json = true;
                ins.args = std::move(*arr);
            } else {
                ins.args = splitWords(ins.rest, m_escape);
            }
            if (ins.args.empty()) return err("VOLUME requires at least one argument");
            for (auto& v : ins.args)
                if (trim(v).empty()) return err("VOLUME specified can not be an empty string");
        } else if (k == "COPY" || k == "ADD") {
            if (auto arr = parseJsonArray(ins.rest)) {
                ins.json = true;
                ins.args = std::move(*arr);
            } else {
                ins.args = splitWords(ins.rest, m_escape);
            }
            // With a heredoc source, "COPY <<EOF /dest" has two words as well.
            if (ins.args.size() < 2) return err(k + " requires at least two arguments: source(s) and destination");
            if (auto from = ins.flag("from"); from && k == "ADD") return err("ADD does not support --from");
        } else if (k == "WORKDIR" || k == "USER" || k == "MAINTAINER") {
            if (ins.rest.empty()) return err(k + " requires exactly one argument");
            ins.args = {ins.rest};
        } else if (k == "STOPSIGNAL") {
            auto words = splitWords(ins.rest, m_escape);
            if (words.size() != 1) return err("STOPSIGNAL requires exactly one argument");
            ins.args = std::move(words);
        } else if (k == "HEALTHCHECK") {
            BERTH_TRYV(healthcheck(ins));
        } else if (k == "ONBUILD") {
            if (ins.rest.empty()) return err("ONBUILD requires at least one argument");
            auto inner = BERTH_TRY(Parser(ins.rest, m_line, m_escape, m_file).run());
            if (inner.keyword == "ONBUILD") return err("chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            if (inner.keyword == "FROM" || inner.keyword == "MAINTAINER")
                return err(inner.keyword + " isn't allowed as an ONBUILD trigger");
            inner.original = ins.rest;
            ins.trigger.push_back(std::move(inner));
            ins.args = {ins.rest};
        }
        return {};
    }

    VoidResult healthcheck(Instruction& ins) {
        Healthcheck hc;
        auto words = splitWords(ins.rest, m_escape);
        if (words.empty()) return err("HEALTHCHECK requires an argument (NONE or CMD ...)");
        std::string type = upper(words[0]);
        if (type == "NONE") {
            if (words.size() != 1) return err("HEALTHCHECK NONE takes no other argument");
            if (!ins.flags.empty()) return err("HEALTHCHECK NONE takes no flags");
            hc.none = true;
            ins.healthcheck = hc;
            return {};
        }
        if (type != "CMD") return err(fmt::format("unknown type \"{}\" in HEALTHCHECK (try CMD)", words[0]));
        auto cmd = trim(trim(ins.rest).substr(words[0].size()));
        if (cmd.empty()) return err("HEALTHCHECK CMD requires a command");
        if (auto arr = parseJsonArray(cmd)) {
            if (arr->empty()) return err("HEALTHCHECK CMD requires a command");
            hc.test = {"CMD"};
            hc.test.insert(hc.test.end(), arr->begin(), arr->end());
            ins.json = true;
        } else {
            hc.test = {"CMD-SHELL", std::string(cmd)};
        }
        for (auto& [name, value] : ins.flags) {
            if (name == "retries") {
                try {
                    size_t used = 0;
                    hc.retries = std::stoi(value, &used);
                    if (used != value.size() || hc.retries < 0) throw 0;
                } catch (...) {
                    return err(fmt::format("HEALTHCHECK --retries: `{}` is not a number of at least 0", value));
                }
                continue;
            }
            auto ns = parseDuration(value);
            if (!ns) return err(fmt::format("HEALTHCHECK --{}: {}", name, ns.error().message()));
            if (*ns != 0 && *ns < 1000000) return err(fmt::format("HEALTHCHECK --{} cannot be less than 1ms", name));
            if (name == "interval") hc.intervalNs = *ns;
            else if (name == "timeout") hc.timeoutNs = *ns;
            else if (name == "start-period") hc.startPeriodNs = *ns;
            else hc.startIntervalNs = *ns;
        }
        ins.healthcheck = hc;
        ins.args = hc.test;
        return {};
    }

    int m_line;
    char m_escape;
    std::string_view m_file;
    std::string_view m_text;
};

} // namespace

Result<Instruction> parseInstruction(std::string_view logical, int line, char escape, std::string_view fileName) {
    return Parser(logical, line, escape, fileName).run();
}

VoidResult checkHeredocUse(const Instruction& ins, std::string_view fileName) {
    if (ins.heredocs.empty()) return {};
    if ((ins.keyword == "COPY" || ins.keyword == "ADD")) {
        if (ins.json)
            return fail(Errc::InvalidArgument,
                        fmt::format("{}:{}: heredocs cannot be used with the JSON form of {}", fileName, ins.line, ins.keyword));
        // The destination is the last word; a heredoc there makes no sense.
        if (!ins.args.empty() && ins.args.back().starts_with("<<"))
            return fail(Errc::InvalidArgument,
                        fmt::format("{}:{}: {} destination cannot be a heredoc", fileName, ins.line, ins.keyword));
    }
    if (ins.keyword == "RUN" && ins.json)
        return fail(Errc::InvalidArgument,
                    fmt::format("{}:{}: heredocs cannot be used with the JSON form of RUN", fileName, ins.line));
    return {};
}

std::vector<std::string> splitWords(std::string_view text, char escape) {
    std::vector<std::string> words;
    std::string cur;
    bool inWord = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quote) {
            cur += c;
            if (c == quote) quote = 0;
            else if (quote == '"' && c == escape && i + 1 < text.size()) cur += text[++i];
            continue;
        }
        if (c == escape && i + 1 < text.size()) {
            cur += c;
            cur += text[++i];
            inWord = true;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (inWord) words.push_back(std::move(cur));
            cur.clear();
            inWord = false;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        cur += c;
        inWord = true;
    }
    if (inWord) words.push_back(std::move(cur));
    return words;
}

std::optional<std::vector<std::string>> parseJsonArray(std::string_view text) {
    auto t = trim(text);
    if (t.empty() || t.front() != '[' || t.back() != ']') return std::nullopt;
    auto j = nlohmann::json::parse(t, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (auto& e : j) {
        if (!e.is_string()) return std::nullopt;
        out.push_back(e.get<std::string>());
    }
    return out;
}

} // namespace berth::build
