#include "container/detach_keys.h"

#include <cctype>

namespace berth {

Result<std::string> parseDetachKeys(std::string_view spec) {
    if (spec.empty()) spec = container::kDefaultDetachKeys;
    std::string out;
    size_t start = 0;
    while (true) {
        size_t comma = spec.find(',', start);
        std::string_view key = spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        auto bad = [&](std::string_view why) {
            return fail(Errc::InvalidArgument, "invalid detach keys (" + std::string(spec) + ") provided: " +
                                                   std::string(why) + "; use e.g. \"ctrl-p,ctrl-q\", \"ctrl-a\", "
                                                   "\"ctrl-@\" … \"ctrl-_\" or single characters, comma-separated");
        };
        if (key.size() == 1) {
            out += key[0];
        } else {
            std::string lower;
            for (char c : key) lower += char(std::tolower(static_cast<unsigned char>(c)));
            // ctrl-@ is 0, ctrl-a..ctrl-z are 1..26, ctrl-[ \ ] ^ _ are 27..31: the key's
            // ASCII code with bit 6 cleared, as a terminal sends it.
            if (lower.size() == 6 && lower.compare(0, 5, "ctrl-") == 0) {
                char k = lower[5];
                if (k >= 'a' && k <= 'z') {
                    out += char(k - 'a' + 1);
                } else if (k == '@' || k == '[' || k == '\\' || k == ']' || k == '^' || k == '_') {
                    out += char(static_cast<unsigned char>(k) & 0x1f);
                } else {
                    return bad("unknown key `" + std::string(key) + "`");
                }
            } else if (key == "DEL") {
                out += char(127);
            } else if (key.empty()) {
                return bad("an empty key");
            } else {
                return bad("unknown key `" + std::string(key) + "`");
            }
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

namespace container {

bool DetachScanner::feed(std::string_view in, std::string& out) {
    for (char c : in) {
        if (m_keys.empty()) {
            out += c;
            continue;
        }
        if (c == m_keys[m_matched]) {
            if (++m_matched == m_keys.size()) return true;
            continue;
        }
        // The held-back bytes were data after all. (A mismatch in the middle restarts
        // the match at this byte; the keys are short, so no fuller search is needed.)
        out.append(m_keys, 0, m_matched);
        m_matched = 0;
        if (c == m_keys[0]) {
            if (m_keys.size() == 1) return true;
            m_matched = 1;
        } else {
            out += c;
        }
    }
    return false;
}

} // namespace container
} // namespace berth
